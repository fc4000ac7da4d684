package dev.clearance.entitlement.mapping;

import com.google.protobuf.Duration;
import dev.clearance.entitlement.domain.AssuranceLevel;
import dev.clearance.entitlement.domain.CarveOutKind;
import dev.clearance.entitlement.domain.CitizenshipMode;
import dev.clearance.entitlement.domain.DirectiveCarveOutEntity;
import dev.clearance.entitlement.domain.DirectiveEntity;
import dev.clearance.entitlement.domain.DirectiveScopeEntity;
import dev.clearance.entitlement.domain.DirectiveState;
import dev.clearance.entitlement.domain.DirectiveTransitionEntity;
import dev.clearance.entitlement.domain.DirectiveSubjectEntity;
import dev.clearance.entitlement.domain.StoredDirective;
import dev.clearance.entitlement.domain.SubjectCodeKind;
import dev.clearance.entitlement.domain.SubjectKind;
import dev.clearance.entitlement.reference.CountryGroupTable;
import dev.clearance.entitlement.v1.CarveOut;
import dev.clearance.entitlement.v1.Directive;
import dev.clearance.entitlement.v1.DirectiveAction;
import dev.clearance.entitlement.v1.DirectiveTransition;
import dev.clearance.entitlement.v1.EmergencyEnforcement;
import dev.clearance.entitlement.v1.EnforcementRequest;
import dev.clearance.entitlement.v1.DirectiveSubjects;
import dev.clearance.entitlement.v1.FamilyScope;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static dev.clearance.entitlement.mapping.TimeMapping.toInstant;
import static dev.clearance.entitlement.mapping.TimeMapping.toTimestamp;

/** Directives to and from the wire. */
public final class DirectiveMapping {
    private DirectiveMapping() {
    }

    /** A new DRAFT directive from a validated create request. */
    public static StoredDirective fromCreate(String id, Directive d, Instant now) {
        DirectiveEntity e = new DirectiveEntity();
        e.id = id;
        e.issuer = d.getIssuer();
        e.reference = d.getReference();
        e.citation = d.getCitation();
        e.receiveTime = d.hasReceiveTime() ? toInstant(d.getReceiveTime()) : now;
        e.effectiveTime = d.hasEffectiveTime() ? toInstant(d.getEffectiveTime()) : null;
        e.expireTime = d.hasExpireTime() ? toInstant(d.getExpireTime()) : null;
        e.subjectKind = SubjectKind.valueOf(d.getSubjects().getKind().name().substring("SUBJECT_KIND_".length()));
        e.citizenshipMode = d.getSubjects().getCitizenshipMode() == dev.clearance.entitlement.v1.CitizenshipMode.CITIZENSHIP_MODE_ANY
                ? CitizenshipMode.ANY : CitizenshipMode.MOST_RECENT;
        e.minimumAssurance = switch (d.getMinimumAssurance()) {
            case ASSURANCE_LEVEL_IAL1 -> AssuranceLevel.IAL1;
            case ASSURANCE_LEVEL_IAL2 -> AssuranceLevel.IAL2;
            case ASSURANCE_LEVEL_IAL3 -> AssuranceLevel.IAL3;
            default -> null;
        };
        e.maximumEvidenceAgeSeconds = d.hasMaximumEvidenceAge() ? d.getMaximumEvidenceAge().getSeconds() : null;
        e.state = DirectiveState.DRAFT;
        e.createTime = now;
        e.updateTime = now;

        List<DirectiveScopeEntity> scope = new ArrayList<>();
        for (int i = 0; i < d.getScopeCount(); i++) {
            FamilyScope s = d.getScope(i);
            scope.add(new DirectiveScopeEntity(id, i, s.getFamily().substring("families/".length()),
                    s.getFromVersion().isEmpty() ? null : s.getFromVersion()));
        }
        List<DirectiveSubjectEntity> subjects = new ArrayList<>();
        for (String country : d.getSubjects().getCountriesList()) {
            subjects.add(new DirectiveSubjectEntity(id, subjects.size(), SubjectCodeKind.COUNTRY, country));
        }
        for (String group : d.getSubjects().getCountryGroupsList()) {
            subjects.add(new DirectiveSubjectEntity(id, subjects.size(), SubjectCodeKind.COUNTRY_GROUP, group));
        }
        List<DirectiveCarveOutEntity> carveOuts = new ArrayList<>();
        for (int i = 0; i < d.getCarveOutsCount(); i++) {
            CarveOut c = d.getCarveOuts(i);
            carveOuts.add(switch (c.getExemptCase()) {
                case PROGRAMME -> new DirectiveCarveOutEntity(id, i, CarveOutKind.PROGRAMME, c.getProgramme());
                case ORGANISATION -> new DirectiveCarveOutEntity(id, i, CarveOutKind.ORGANISATION, c.getOrganisation());
                case LICENCE -> new DirectiveCarveOutEntity(id, i, CarveOutKind.LICENCE, c.getLicence());
                default -> new DirectiveCarveOutEntity(id, i, CarveOutKind.LICENSED_PERSONS, null);
            });
        }
        return new StoredDirective(e, scope, subjects, carveOuts);
    }

    /** The directive as written (country groups as named), with its approval state as of {@code now}. */
    public static Directive toProto(StoredDirective stored, Instant now) {
        List<String> countries = codes(stored, SubjectCodeKind.COUNTRY);
        Directive.Builder b = toProto(stored, countries).toBuilder();
        DirectiveEntity e = stored.directive();
        if (e.pendingEnforcement()) {
            b.setPendingEnforcement(EnforcementRequest.newBuilder()
                    .setRequester(e.pendingRequester)
                    .setRequestTime(toTimestamp(e.pendingRequestTime))
                    .setReason(nullToEmpty(e.pendingReason)));
        }
        if (e.emergencyEnforcer != null) {
            EmergencyEnforcement.Builder em = EmergencyEnforcement.newBuilder()
                    .setEnforcer(e.emergencyEnforcer)
                    .setEnforceTime(toTimestamp(e.emergencyEnforceTime))
                    .setReason(nullToEmpty(e.emergencyReason))
                    .setConfirmDeadline(toTimestamp(e.emergencyConfirmDeadline))
                    .setOverdue(e.emergencyOverdue(now));
            if (e.emergencyConfirmer != null) {
                em.setConfirmer(e.emergencyConfirmer).setConfirmTime(toTimestamp(e.emergencyConfirmTime));
            }
            b.setEmergency(em);
        }
        return b.build();
    }

    public static DirectiveTransition toProto(DirectiveTransitionEntity t) {
        DirectiveTransition.Builder b = DirectiveTransition.newBuilder()
                .setToState(state(t.toState))
                .setActor(t.actor)
                .setTransitionTime(toTimestamp(t.transitionTime))
                .setReason(nullToEmpty(t.reason))
                .setPolicyRevision(t.policyRevision);
        if (t.action != null) {
            b.setAction(DirectiveAction.valueOf("DIRECTIVE_ACTION_" + t.action.name()));
        }
        if (t.fromState != null) {
            b.setFromState(state(t.fromState));
        }
        return b.build();
    }

    private static dev.clearance.entitlement.v1.DirectiveState state(DirectiveState s) {
        return dev.clearance.entitlement.v1.DirectiveState.valueOf("DIRECTIVE_STATE_" + s.name());
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    /**
     * The directive as a snapshot carries it: country groups expanded into {@code countries}
     * with {@code table} (the groups stay listed, for explanation).
     */
    public static Directive toSnapshotProto(StoredDirective stored, CountryGroupTable table) {
        List<String> countries = List.copyOf(table.expand(codes(stored, SubjectCodeKind.COUNTRY),
                codes(stored, SubjectCodeKind.COUNTRY_GROUP)));
        if (stored.directive().subjectKind != SubjectKind.NATIONALS_OF) {
            countries = List.of();
        }
        return toProto(stored, countries);
    }

    private static Directive toProto(StoredDirective stored, List<String> countries) {
        DirectiveEntity e = stored.directive();
        Directive.Builder b = Directive.newBuilder()
                .setName("directives/" + e.id)
                .setIssuer(e.issuer)
                .setReference(e.reference)
                .setCitation(e.citation)
                .setReceiveTime(toTimestamp(e.receiveTime))
                .setState(state(e.state))
                .setCreateTime(toTimestamp(e.createTime))
                .setUpdateTime(toTimestamp(e.updateTime));
        if (e.countryGroupsIssueDate != null) {
            b.setCountryGroupsIssueDate(e.countryGroupsIssueDate);
        }
        if (e.effectiveTime != null) {
            b.setEffectiveTime(toTimestamp(e.effectiveTime));
        }
        if (e.expireTime != null) {
            b.setExpireTime(toTimestamp(e.expireTime));
        }
        for (DirectiveScopeEntity s : stored.scope()) {
            FamilyScope.Builder scope = FamilyScope.newBuilder().setFamily("families/" + s.familyId);
            if (s.fromVersion != null) {
                scope.setFromVersion(s.fromVersion);
            }
            b.addScope(scope);
        }
        b.setSubjects(DirectiveSubjects.newBuilder()
                .setKind(dev.clearance.entitlement.v1.SubjectKind.valueOf("SUBJECT_KIND_" + e.subjectKind.name()))
                .addAllCountries(countries)
                .addAllCountryGroups(codes(stored, SubjectCodeKind.COUNTRY_GROUP))
                .setCitizenshipMode(dev.clearance.entitlement.v1.CitizenshipMode.valueOf(
                        "CITIZENSHIP_MODE_" + e.citizenshipMode.name())));
        if (e.minimumAssurance != null) {
            b.setMinimumAssurance(dev.clearance.common.v1.AssuranceLevel.valueOf("ASSURANCE_LEVEL_" + e.minimumAssurance.name()));
        }
        if (e.maximumEvidenceAgeSeconds != null) {
            b.setMaximumEvidenceAge(Duration.newBuilder().setSeconds(e.maximumEvidenceAgeSeconds));
        }
        for (DirectiveCarveOutEntity c : stored.carveOuts()) {
            b.addCarveOuts(switch (c.kind) {
                case LICENSED_PERSONS -> CarveOut.newBuilder().setLicensedPersons(true).build();
                case PROGRAMME -> CarveOut.newBuilder().setProgramme(c.target).build();
                case ORGANISATION -> CarveOut.newBuilder().setOrganisation(c.target).build();
                case LICENCE -> CarveOut.newBuilder().setLicence(c.target).build();
            });
        }
        return b.build();
    }

    private static List<String> codes(StoredDirective stored, SubjectCodeKind kind) {
        return stored.subjects().stream().filter(s -> s.kind == kind).map(s -> s.code).toList();
    }
}
