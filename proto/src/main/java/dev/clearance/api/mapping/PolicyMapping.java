package dev.clearance.api.mapping;

import dev.clearance.entitlement.v1.CarveOut;
import dev.clearance.entitlement.v1.DirectiveState;
import dev.clearance.entitlement.v1.ModelVersionStatus;
import dev.clearance.entitlement.v1.ProgrammeMembershipEntry;
import dev.clearance.policy.CountryGroups;
import dev.clearance.policy.Directive;
import dev.clearance.policy.DirectiveSubjects;
import dev.clearance.policy.Grant;
import dev.clearance.policy.Licence;
import dev.clearance.policy.ModelFamily;
import dev.clearance.policy.ModelVersion;
import dev.clearance.policy.PolicyInputs;
import dev.clearance.policy.Programme;
import dev.clearance.policy.Subscription;
import dev.clearance.policy.Tier;
import dev.clearance.policy.VersionStatus;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.clearance.api.mapping.ResourceNames.emptyToNull;
import static dev.clearance.api.mapping.ResourceNames.id;
import static dev.clearance.api.mapping.Timestamps.toDuration;
import static dev.clearance.api.mapping.Timestamps.toInstant;

/**
 * The wire snapshot to the engine's inputs. entitlement-service and every router go through
 * this one mapping, so both compile the same snapshot from the same bytes.
 *
 * <p>Engine ids: families, tiers and programmes by bare id ({@code fable}, {@code pro},
 * {@code glasswing}); persons, organisations, grants, licences and directives by resource name.
 */
public final class PolicyMapping {
    private PolicyMapping() {
    }

    public static PolicyInputs toInputs(dev.clearance.entitlement.v1.PolicySnapshot p) {
        Map<String, List<dev.clearance.entitlement.v1.ModelVersion>> versionsByFamily = new HashMap<>();
        for (var v : p.getVersionsList()) {
            // families/{family}/versions/{version}
            String family = v.getName().split("/")[1];
            versionsByFamily.computeIfAbsent(family, k -> new ArrayList<>()).add(v);
        }
        List<ModelFamily> families = new ArrayList<>();
        for (var f : p.getFamiliesList()) {
            String familyId = id("families", f.getName());
            List<ModelVersion> versions = versionsByFamily.getOrDefault(familyId, List.of()).stream()
                    .sorted(Comparator.comparingInt(dev.clearance.entitlement.v1.ModelVersion::getOrdinal))
                    .map(v -> new ModelVersion(ResourceNames.lastSegment(v.getName()), status(v.getStatus())))
                    .toList();
            families.add(new ModelFamily(familyId, f.getControlled(), versions));
        }

        Map<String, String> aliases = new LinkedHashMap<>();
        for (var a : p.getAliasesList()) {
            aliases.put(id("aliases", a.getName()), a.getTargetVersion());
        }

        List<Tier> tiers = p.getTiersList().stream()
                .map(t -> new Tier(id("tiers", t.getName()), t.getModelPatternsList()))
                .toList();

        Map<String, Set<String>> members = new HashMap<>();
        for (ProgrammeMembershipEntry m : p.getProgrammeMembershipsList()) {
            members.computeIfAbsent(id("programmes", m.getProgramme()), k -> new HashSet<>()).add(m.getMember());
        }
        List<Programme> programmes = p.getProgrammesList().stream()
                .map(pr -> {
                    String programmeId = id("programmes", pr.getName());
                    return new Programme(programmeId, pr.getModelPatternsList(), members.getOrDefault(programmeId, Set.of()));
                })
                .toList();

        List<Subscription> subscriptions = p.getSubscriptionsList().stream()
                .map(s -> new Subscription(s.getOrganisation(), id("tiers", s.getTier())))
                .toList();

        List<Grant> grants = p.getGrantsList().stream()
                .map(g -> new Grant(g.getName(), g.getGrantee(), g.getModelPatternsList(),
                        toInstant(g.getStartTime()), toInstant(g.getEndTime())))
                .toList();

        List<Licence> licences = p.getLicencesList().stream()
                .map(l -> new Licence(l.getName(), l.getReference(), emptyToNull(l.getHolder()),
                        Set.copyOf(l.getNamedPersonsList()), l.getModelPatternsList(),
                        toInstant(l.getStartTime()), toInstant(l.getEndTime())))
                .toList();

        List<Directive> directives = new ArrayList<>();
        for (var d : p.getDirectivesList()) {
            Directive.Mode mode;
            if (d.getState() == DirectiveState.DIRECTIVE_STATE_ENFORCED) {
                mode = Directive.Mode.ENFORCED;
            } else if (d.getState() == DirectiveState.DIRECTIVE_STATE_SHADOW) {
                mode = Directive.Mode.SHADOW;
            } else {
                continue; // drafts, suspended and revoked directives never decide anything
            }
            directives.add(toDirective(d, mode));
        }

        Set<String> embargoed = new HashSet<>(p.getEmbargoedRegionsList());
        LocalDate issue = p.getCountryGroupsIssueDate().isEmpty() ? null : LocalDate.parse(p.getCountryGroupsIssueDate());
        // Groups arrive expanded into each directive's countries: the engine gets their labels (for
        // the explanation, with the table's date) mapped to nothing further to add.
        Map<String, Set<String>> namedGroups = new HashMap<>();
        for (Directive d : directives) {
            d.subjects().countryGroups().forEach(g -> namedGroups.put(g, Set.of()));
        }
        return new PolicyInputs(p.getRevision(), families, aliases, tiers, programmes, subscriptions, grants,
                licences, directives, new CountryGroups(issue, namedGroups, embargoed));
    }

    private static Directive toDirective(dev.clearance.entitlement.v1.Directive d, Directive.Mode mode) {
        List<Directive.FamilyScope> scope = d.getScopeList().stream()
                .map(s -> new Directive.FamilyScope(id("families", s.getFamily()), emptyToNull(s.getFromVersion())))
                .toList();
        var subjects = d.getSubjects();
        DirectiveSubjects.Kind kind = switch (subjects.getKind()) {
            case SUBJECT_KIND_NON_CITIZENS -> DirectiveSubjects.Kind.NON_CITIZENS;
            case SUBJECT_KIND_NATIONALS_OF -> DirectiveSubjects.Kind.NATIONALS_OF;
            // Unspecified is refused on write; reading it as the widest subject set fails closed.
            default -> DirectiveSubjects.Kind.FOREIGN_PERSONS;
        };
        DirectiveSubjects.CitizenshipMode citizenship =
                subjects.getCitizenshipMode() == dev.clearance.entitlement.v1.CitizenshipMode.CITIZENSHIP_MODE_ANY
                        ? DirectiveSubjects.CitizenshipMode.ANY : DirectiveSubjects.CitizenshipMode.MOST_RECENT;
        // Country groups arrive expanded into countries (entitlement-service expands them with its dated table).
        DirectiveSubjects subj = new DirectiveSubjects(kind, Set.copyOf(subjects.getCountriesList()),
                Set.copyOf(subjects.getCountryGroupsList()), citizenship);
        List<Directive.CarveOut> carveOuts = new ArrayList<>();
        for (CarveOut c : d.getCarveOutsList()) {
            switch (c.getExemptCase()) {
                case LICENSED_PERSONS -> {
                    if (c.getLicensedPersons()) {
                        carveOuts.add(Directive.CarveOut.licensedPersons());
                    }
                }
                case PROGRAMME -> carveOuts.add(new Directive.CarveOut(Directive.CarveOut.Kind.PROGRAMME,
                        id("programmes", c.getProgramme())));
                case ORGANISATION -> carveOuts.add(new Directive.CarveOut(Directive.CarveOut.Kind.ORGANISATION,
                        c.getOrganisation()));
                case LICENCE -> carveOuts.add(new Directive.CarveOut(Directive.CarveOut.Kind.LICENCE, c.getLicence()));
                default -> {
                }
            }
        }
        return new Directive(d.getName(), d.getCitation(), mode, toInstant(d.getEffectiveTime()),
                toInstant(d.getExpireTime()), scope, subj, CallerMapping.assurance(d.getMinimumAssurance()),
                toDuration(d.getMaximumEvidenceAge()), carveOuts);
    }

    static VersionStatus status(ModelVersionStatus s) {
        return switch (s) {
            case MODEL_VERSION_STATUS_PREVIEW -> VersionStatus.PREVIEW;
            case MODEL_VERSION_STATUS_DEPRECATED -> VersionStatus.DEPRECATED;
            case MODEL_VERSION_STATUS_DISABLED -> VersionStatus.DISABLED;
            default -> VersionStatus.GA;
        };
    }
}
