package dev.clearance.bench;

import dev.clearance.policy.AccessRequest;
import dev.clearance.policy.AssuranceLevel;
import dev.clearance.policy.Caller;
import dev.clearance.policy.CountryGroups;
import dev.clearance.policy.Directive;
import dev.clearance.policy.DirectiveSubjects;
import dev.clearance.policy.Grant;
import dev.clearance.policy.Licence;
import dev.clearance.policy.ModelFamily;
import dev.clearance.policy.ModelVersion;
import dev.clearance.policy.PolicyInputs;
import dev.clearance.policy.Programme;
import dev.clearance.policy.ScreeningStatus;
import dev.clearance.policy.Subscription;
import dev.clearance.policy.Tier;
import dev.clearance.policy.UsPersonStatus;
import dev.clearance.policy.VersionStatus;

import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * A provider-sized policy, generated from a fixed seed: 200 model versions (20 families of 10),
 * 50 directives, 100,000 grants, 10,000 organisations with subscriptions, 20 programmes,
 * 1,000 licences; and a mix of callers and requests to decide.
 */
public final class RealisticPolicy {

    public static final int FAMILIES = 20;
    public static final int VERSIONS_PER_FAMILY = 10;
    public static final int ORGANISATIONS = 10_000;
    public static final int PERSONS = 100_000;
    public static final int GRANTS = 100_000;
    public static final int DIRECTIVES = 50;
    public static final int LICENCES = 1_000;
    public static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");

    private static final String[] COUNTRIES = {"US", "IN", "CN", "GB", "FR", "JP", "TR", "BR", "RU", "DE", "MO", "IR"};

    private RealisticPolicy() {
    }

    public static PolicyInputs inputs(long seed) {
        Random rnd = new Random(seed);
        List<ModelFamily> families = new ArrayList<>();
        Map<String, String> aliases = new HashMap<>();
        for (int f = 0; f < FAMILIES; f++) {
            List<ModelVersion> versions = new ArrayList<>();
            for (int v = 1; v <= VERSIONS_PER_FAMILY; v++) {
                versions.add(new ModelVersion(version(f, v), v == 3 && f % 7 == 0 ? VersionStatus.DISABLED : VersionStatus.GA));
            }
            families.add(new ModelFamily(family(f), f % 5 == 0, versions));
            aliases.put(family(f) + "-latest", version(f, VERSIONS_PER_FAMILY));
        }
        List<Tier> tiers = new ArrayList<>();
        for (int t = 0; t < 5; t++) {
            List<String> patterns = new ArrayList<>();
            for (int f = 0; f < 4 * (t + 1); f++) {
                patterns.add(family(f) + "-*");
            }
            tiers.add(new Tier("tier-" + t, patterns));
        }
        List<Subscription> subscriptions = new ArrayList<>();
        for (int o = 0; o < ORGANISATIONS; o++) {
            subscriptions.add(new Subscription(organisation(o), "tier-" + (o % 5)));
        }
        List<Programme> programmes = new ArrayList<>();
        for (int p = 0; p < 20; p++) {
            Set<String> members = new HashSet<>();
            for (int m = 0; m < 50; m++) {
                members.add(organisation(rnd.nextInt(ORGANISATIONS)));
            }
            programmes.add(new Programme("programme-" + p,
                    List.of(family(p % FAMILIES) + "-*", family((p + 7) % FAMILIES) + "-*"), members));
        }
        List<Grant> grants = new ArrayList<>(GRANTS);
        for (int g = 0; g < GRANTS; g++) {
            String grantee = g % 4 == 0 ? organisation(rnd.nextInt(ORGANISATIONS)) : person(rnd.nextInt(PERSONS));
            Instant start = g % 3 == 0 ? NOW.minus(rnd.nextInt(300), ChronoUnit.DAYS) : null;
            Instant end = g % 5 == 0 ? NOW.plus(rnd.nextInt(300) - 100, ChronoUnit.DAYS) : null;
            grants.add(new Grant("grants/g" + g, grantee,
                    List.of(version(rnd.nextInt(FAMILIES), 1 + rnd.nextInt(VERSIONS_PER_FAMILY))), start, end));
        }
        List<Licence> licences = new ArrayList<>();
        for (int l = 0; l < LICENCES; l++) {
            licences.add(new Licence("licences/l" + l, "D" + (1_000_000 + l), organisation(rnd.nextInt(ORGANISATIONS)),
                    Set.of(person(rnd.nextInt(PERSONS))), List.of(family(rnd.nextInt(FAMILIES)) + "-*"),
                    NOW.minus(100, ChronoUnit.DAYS), NOW.plus(200, ChronoUnit.DAYS)));
        }
        List<Directive> directives = new ArrayList<>();
        for (int d = 0; d < DIRECTIVES; d++) {
            DirectiveSubjects subjects = switch (d % 3) {
                case 0 -> DirectiveSubjects.foreignPersons();
                case 1 -> new DirectiveSubjects(DirectiveSubjects.Kind.NON_CITIZENS, null, null, null);
                default -> new DirectiveSubjects(DirectiveSubjects.Kind.NATIONALS_OF, Set.of("MO"), Set.of("D:5"),
                        d % 2 == 0 ? DirectiveSubjects.CitizenshipMode.ANY : DirectiveSubjects.CitizenshipMode.MOST_RECENT);
            };
            List<Directive.CarveOut> carveOuts = new ArrayList<>();
            carveOuts.add(Directive.CarveOut.licensedPersons());
            if (d % 4 == 0) {
                carveOuts.add(new Directive.CarveOut(Directive.CarveOut.Kind.PROGRAMME, "programme-" + (d % 20)));
            }
            directives.add(new Directive("directives/d" + d, "15 CFR 734.13 (benchmark " + d + ")",
                    d % 5 == 4 ? Directive.Mode.SHADOW : Directive.Mode.ENFORCED,
                    NOW.minus(10, ChronoUnit.DAYS), d % 6 == 0 ? NOW.plus(30, ChronoUnit.DAYS) : null,
                    List.of(new Directive.FamilyScope(family(d % FAMILIES), version(d % FAMILIES, 5 + d % 5))),
                    subjects, AssuranceLevel.IAL2, null, carveOuts));
        }
        CountryGroups groups = new CountryGroups(LocalDate.parse("2026-07-23"),
                Map.of("D:5", Set.of("AF", "BY", "CN", "CU", "IR", "KP", "RU", "SY", "VE")),
                Set.of("CU", "IR", "KP", "SY", "UA-43", "UA-14", "UA-09"));
        return new PolicyInputs(42, families, aliases, tiers, programmes, subscriptions, grants, licences,
                directives, groups);
    }

    /** Callers spread over organisations and statuses, as a router's cache would hold them. */
    public static Caller[] callers(int count, long seed) {
        Random rnd = new Random(seed);
        Caller[] out = new Caller[count];
        for (int i = 0; i < count; i++) {
            int p = rnd.nextInt(PERSONS);
            String org = organisation(p % ORGANISATIONS);
            int kind = rnd.nextInt(10);
            if (kind == 0) {
                out[i] = Caller.organisationKey(org, ScreeningStatus.CLEAR, 1);
                continue;
            }
            String citizenship = COUNTRIES[rnd.nextInt(COUNTRIES.length)];
            UsPersonStatus status = switch (kind) {
                case 1, 2, 3, 4 -> UsPersonStatus.US_CITIZEN;
                case 5 -> UsPersonStatus.LAWFUL_PERMANENT_RESIDENT;
                default -> UsPersonStatus.FOREIGN_PERSON;
            };
            if (status == UsPersonStatus.US_CITIZEN) {
                citizenship = "US";
            }
            out[i] = new Caller(person(p), org, status, Set.of(citizenship),
                    status.isUsPerson() ? null : citizenship, kind == 9 ? AssuranceLevel.IAL1 : AssuranceLevel.IAL2,
                    NOW.minus(60, ChronoUnit.DAYS), NOW.plus(300, ChronoUnit.DAYS), ScreeningStatus.CLEAR, 1);
        }
        return out;
    }

    /** Requests for any version or alias, fallback allowed, at a fixed instant. */
    public static AccessRequest[] requests(int count, long seed) {
        Random rnd = new Random(seed);
        AccessRequest[] out = new AccessRequest[count];
        for (int i = 0; i < count; i++) {
            int f = rnd.nextInt(FAMILIES);
            String model = rnd.nextInt(10) == 0 ? family(f) + "-latest" : version(f, 1 + rnd.nextInt(VERSIONS_PER_FAMILY));
            out[i] = new AccessRequest(model, true, NOW, null, false);
        }
        return out;
    }

    static String family(int f) {
        return String.format("m%02d", f);
    }

    static String version(int f, int v) {
        return family(f) + "-" + v;
    }

    static String organisation(int o) {
        return "organisations/o" + o;
    }

    static String person(int p) {
        return "persons/p" + p;
    }
}
