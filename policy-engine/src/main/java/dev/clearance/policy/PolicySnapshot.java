package dev.clearance.policy;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * An immutable, indexed view of one policy revision. Compiled once per revision so that a
 * decision costs a few hash lookups and bit tests: model patterns become bit sets over
 * version indices, entitlements are grouped by holder, directives by the versions they cover.
 */
public final class PolicySnapshot {

    private final long revision;
    private final PolicyInputs inputs;

    // Catalogue, indexed by version number (position in versionIds).
    private final String[] versionIds;
    private final String[] versionFamily;
    private final VersionStatus[] versionStatus;
    /** For each version, the versions of its family strictly older, newest first (fallback order). */
    private final int[][] olderVersions;
    private final boolean[] controlled;
    /** Prebuilt NOT_ENTITLED reason per version: reasons are immutable, so decisions share them. */
    private final Reason[] notEntitled;
    private final Verdict[] notEntitledVerdict;
    private final Map<String, Integer> versionIndex;
    /** Versions and aliases, for the evaluator. */
    private final NameIndex names;

    /** Entitlement sources by holder ({@code persons/..}, {@code organisations/..}). */
    private final Map<String, HolderEntitlements> entitlementsByHolder;
    private final HolderEntitlements noEntitlements;
    /** Directives covering each version, in input order. */
    private final CompiledDirective[][] directivesByVersion;
    private final Set<String> embargoed;

    // What a binding precomputes per caller (BoundCaller), laid out in one long[] per caller:
    // [entitled versions | subject rules the caller matches | carve-out targets the caller belongs to].
    /** The distinct subject rules of the directives: a binding evaluates each once, not once per directive. */
    private final SubjectRule[] subjectRules;
    /** Programme and organisation carve-out targets of the directives, by name, numbered. */
    private final Map<String, Integer> programmeTargets;
    private final Map<String, Integer> organisationTargets;
    private final int carveOutTargets;

    private PolicySnapshot(PolicyInputs in) {
        this.revision = in.revision();
        this.inputs = in;

        List<String> ids = new ArrayList<>();
        List<String> fams = new ArrayList<>();
        List<VersionStatus> statuses = new ArrayList<>();
        List<int[]> older = new ArrayList<>();
        List<Boolean> familyControlled = new ArrayList<>();
        Map<String, Integer> index = new HashMap<>();
        for (ModelFamily family : in.families()) {
            int first = ids.size();
            for (ModelVersion v : family.versions()) {
                String id = v.id().toLowerCase(Locale.ROOT);
                if (index.putIfAbsent(id, ids.size()) != null) {
                    throw new IllegalArgumentException("duplicate model version " + id);
                }
                int n = ids.size() - first;
                int[] olderThis = new int[n];
                for (int k = 0; k < n; k++) {
                    olderThis[k] = ids.size() - 1 - k;
                }
                ids.add(id);
                fams.add(family.id());
                statuses.add(v.status());
                older.add(olderThis);
                familyControlled.add(family.controlled());
            }
        }
        int size = ids.size();
        this.versionIds = ids.toArray(String[]::new);
        this.versionFamily = fams.toArray(String[]::new);
        this.versionStatus = statuses.toArray(VersionStatus[]::new);
        this.olderVersions = older.toArray(int[][]::new);
        this.versionIndex = Map.copyOf(index);
        this.notEntitled = new Reason[size];
        this.notEntitledVerdict = new Verdict[size];
        for (int v = 0; v < size; v++) {
            notEntitled[v] = new Reason(ReasonCode.NOT_ENTITLED, versionIds[v], null, null,
                    "no tier, programme, grant or licence of the caller includes " + versionIds[v]);
            notEntitledVerdict[v] = Verdict.refused(List.of(notEntitled[v]));
        }

        Map<String, Integer> aliases = new HashMap<>();
        in.aliases().forEach((alias, target) -> {
            Integer v = index.get(target.toLowerCase(Locale.ROOT));
            if (v == null) {
                throw new IllegalArgumentException("alias " + alias + " points to unknown version " + target);
            }
            aliases.put(alias.toLowerCase(Locale.ROOT), v);
        });
        this.names = new NameIndex(versionIndex, aliases);

        PatternIndex patterns = new PatternIndex(versionIds);

        Map<String, Programme> programmes = new HashMap<>();
        Map<String, Set<String>> memberOf = new HashMap<>();
        for (Programme p : in.programmes()) {
            programmes.put(p.id(), p);
            for (String member : p.members()) {
                memberOf.computeIfAbsent(member, k -> new HashSet<>()).add(p.id());
            }
        }

        Map<String, Tier> tiers = new HashMap<>();
        for (Tier t : in.tiers()) {
            tiers.put(t.id(), t);
        }

        Map<String, List<EntitlementSource>> byHolder = new HashMap<>();
        for (Subscription s : in.subscriptions()) {
            Tier tier = tiers.get(s.tier());
            if (tier == null) {
                throw new IllegalArgumentException("subscription of " + s.organisation() + " names unknown tier " + s.tier());
            }
            add(byHolder, s.organisation(), new EntitlementSource(patterns.of(tier.modelPatterns()), null, null,
                    "tiers/" + tier.id(), "tier " + tier.id() + " of " + s.organisation()));
        }
        for (Programme p : in.programmes()) {
            long[] models = patterns.of(p.modelPatterns());
            for (String member : p.members()) {
                add(byHolder, member, new EntitlementSource(models, null, null,
                        "programmes/" + p.id(), "programme " + p.id() + " (member " + member + ")"));
            }
        }
        for (Grant g : in.grants()) {
            EntitlementSource source = new EntitlementSource(patterns.of(g.modelPatterns()), g.start(), g.end(),
                    g.id(), "grant " + g.id() + " to " + g.grantee());
            if (g.grantee().startsWith("programmes/")) {
                Programme p = programmes.get(g.grantee().substring("programmes/".length()));
                if (p != null) {
                    for (String member : p.members()) {
                        add(byHolder, member, source);
                    }
                }
            } else {
                add(byHolder, g.grantee(), source);
            }
        }
        Map<String, List<EntitlementSource>> licences = new HashMap<>();
        for (Licence l : in.licences()) {
            EntitlementSource source = new EntitlementSource(patterns.of(l.modelPatterns()), l.start(), l.end(),
                    l.id(), "licence " + l.reference() + " (" + l.id() + ")");
            for (String person : l.namedPersons()) {
                add(byHolder, person, source);
                add(licences, person, source);
            }
        }
        Set<String> holderNames = new HashSet<>(byHolder.keySet());
        holderNames.addAll(memberOf.keySet());
        Map<String, HolderEntitlements> holders = new HashMap<>(holderNames.size() * 2);
        for (String holder : holderNames) {
            holders.put(holder, HolderEntitlements.of(byHolder.getOrDefault(holder, List.of()),
                    licences.getOrDefault(holder, List.of()), memberOf.getOrDefault(holder, Set.of()), size));
        }
        this.entitlementsByHolder = holders;
        this.noEntitlements = HolderEntitlements.NONE;

        Map<String, List<String>> familyVersions = new HashMap<>();
        for (int v = 0; v < size; v++) {
            familyVersions.computeIfAbsent(versionFamily[v], k -> new ArrayList<>()).add(versionIds[v]);
        }
        List<List<CompiledDirective>> byVersion = new ArrayList<>();
        for (int v = 0; v < size; v++) {
            byVersion.add(new ArrayList<>());
        }
        boolean[] isControlled = new boolean[size];
        for (int v = 0; v < size; v++) {
            isControlled[v] = familyControlled.get(v);
        }
        Map<SubjectRule, Integer> rules = new HashMap<>();
        Map<String, Integer> programmeTargets = new HashMap<>();
        Map<String, Integer> organisationTargets = new HashMap<>();
        for (Directive d : in.directives()) {
            Set<String> countries = expandCountries(d.subjects(), in.countryGroups());
            SubjectRule rule = new SubjectRule(d.subjects().kind(), d.subjects().mode(), countries, d.minimumAssurance());
            int ruleIndex = rules.computeIfAbsent(rule, k -> rules.size());
            CompiledDirective cd = new CompiledDirective(d, countries, in.countryGroups().issueDate(), versionIds,
                    ruleIndex, programmeTargets, organisationTargets);
            for (Directive.FamilyScope scope : d.scope()) {
                List<String> versions = familyVersions.get(scope.family());
                if (versions == null) {
                    throw new IllegalArgumentException("directive " + d.id() + " names unknown family " + scope.family());
                }
                int from = 0;
                if (scope.fromVersion() != null && !scope.fromVersion().isEmpty()) {
                    from = versions.indexOf(scope.fromVersion().toLowerCase(Locale.ROOT));
                    if (from < 0) {
                        throw new IllegalArgumentException("directive " + d.id() + " names unknown version "
                                + scope.fromVersion() + " of " + scope.family());
                    }
                }
                for (int k = from; k < versions.size(); k++) {
                    int v = index.get(versions.get(k));
                    if (!byVersion.get(v).contains(cd)) {
                        byVersion.get(v).add(cd);
                        cd.cover(v, notEntitled[v]);
                    }
                    isControlled[v] = true;
                }
            }
        }
        this.directivesByVersion = new CompiledDirective[size][];
        for (int v = 0; v < size; v++) {
            directivesByVersion[v] = byVersion.get(v).toArray(CompiledDirective[]::new);
        }
        this.controlled = isControlled;
        this.embargoed = Set.copyOf(in.countryGroups().embargoed());
        this.subjectRules = new SubjectRule[rules.size()];
        rules.forEach((rule, i) -> subjectRules[i] = rule);
        this.programmeTargets = Map.copyOf(programmeTargets);
        this.organisationTargets = Map.copyOf(organisationTargets);
        this.carveOutTargets = programmeTargets.size() + organisationTargets.size();
    }

    /**
     * Builds the index for one revision.
     *
     * @throws IllegalArgumentException when the inputs are inconsistent (unknown tier, alias target, family)
     */
    public static PolicySnapshot compile(PolicyInputs inputs) {
        return new PolicySnapshot(inputs);
    }

    public long revision() {
        return revision;
    }

    /** The source records this snapshot was compiled from. */
    public PolicyInputs inputs() {
        return inputs;
    }

    /** Version ids in catalogue order (families in input order, each oldest first). */
    public List<String> versionIds() {
        return List.of(versionIds);
    }

    /** Whether the version is under any directive (shadow or enforced) or in a controlled family. */
    public boolean isControlled(String versionId) {
        Integer v = versionIndex.get(versionId);
        return v != null && controlled[v];
    }

    // ---- package-private accessors for the evaluator ----

    /** Version number for a normalised name or alias, or -1. */
    int resolve(String normalisedName) {
        return names.get(normalisedName);
    }

    /**
     * Version number for a name exactly as sent when it is already canonical (lower-case ASCII
     * letters, digits, {@code .-_}) and names a version or alias; else -1 (then normalise and
     * {@link #resolve}). Most clients send canonical names: they skip normalisation.
     */
    int resolveCanonical(String raw) {
        return names.getCanonical(raw);
    }

    int versionCount() {
        return versionIds.length;
    }

    String versionId(int v) {
        return versionIds[v];
    }

    String family(int v) {
        return versionFamily[v];
    }

    VersionStatus status(int v) {
        return versionStatus[v];
    }

    boolean controlled(int v) {
        return controlled[v];
    }

    int[] olderVersions(int v) {
        return olderVersions[v];
    }

    Reason notEntitled(int v) {
        return notEntitled[v];
    }

    Verdict notEntitledVerdict(int v) {
        return notEntitledVerdict[v];
    }

    CompiledDirective[] directives(int v) {
        return directivesByVersion[v];
    }

    /** Everything the snapshot knows about one person or organisation: one lookup per holder per decision. */
    HolderEntitlements holder(String holder) {
        return holder == null ? noEntitlements : entitlementsByHolder.getOrDefault(holder, noEntitlements);
    }

    /** Words of a version set in this snapshot. */
    int versionWords() {
        return (versionIds.length + 63) >>> 6;
    }

    SubjectRule[] subjectRules() {
        return subjectRules;
    }

    /** Carve-out target number of a programme ({@code glasswing}), or -1 when no directive names it. */
    int programmeTarget(String programme) {
        Integer t = programmeTargets.get(programme);
        return t == null ? -1 : t;
    }

    /** Carve-out target number of an organisation ({@code organisations/..}), or -1. */
    int organisationTarget(String organisation) {
        Integer t = organisation == null ? null : organisationTargets.get(organisation);
        return t == null ? -1 : t;
    }

    int carveOutTargetCount() {
        return carveOutTargets;
    }

    boolean embargoed(String regionCode) {
        if (regionCode == null || regionCode.isEmpty()) {
            return false;
        }
        String code = regionCode.toUpperCase(Locale.ROOT);
        if (embargoed.contains(code)) {
            return true;
        }
        int dash = code.indexOf('-');
        return dash > 0 && embargoed.contains(code.substring(0, dash));
    }

    /**
     * A holder's entitlements: the union of those without a validity window, precomputed; the
     * windowed ones to test at decision time; the licences naming them and the programmes they
     * belong to (for carve-outs). {@code flat} lays every source of {@code all}, in order, out in
     * one array ({@link #SOURCE_START}, {@link #SOURCE_END}, then its version words; stride
     * {@code 2 + words}) with its ENTITLED text in {@code descriptions}: a decision scans a few
     * contiguous cache lines instead of chasing one object and one array per source.
     */
    record HolderEntitlements(long[] unbounded, EntitlementSource[] windowed, EntitlementSource[] all,
                              EntitlementSource[] licences, Set<String> programmes,
                              long[] flat, String[] descriptions) {

        static final int SOURCE_START = 0;
        static final int SOURCE_END = 1;
        static final int SOURCE_MODELS = 2;

        /** A holder the snapshot knows nothing about (shared: its empty arrays stay in cache). */
        static final HolderEntitlements NONE = new HolderEntitlements(new long[0], new EntitlementSource[0],
                new EntitlementSource[0], new EntitlementSource[0], Set.of(), new long[0], new String[0]);

        static HolderEntitlements of(List<EntitlementSource> sources, List<EntitlementSource> licences,
                                     Set<String> programmes, int versions) {
            long[] unbounded = VersionSet.empty(versions);
            int words = unbounded.length;
            List<EntitlementSource> windowed = new ArrayList<>();
            long[] flat = new long[sources.size() * (SOURCE_MODELS + words)];
            String[] descriptions = new String[sources.size()];
            int k = 0;
            for (EntitlementSource source : sources) {
                if (source.unbounded()) {
                    VersionSet.addAll(unbounded, source.models());
                } else {
                    windowed.add(source);
                }
                int at = k * (SOURCE_MODELS + words);
                flat[at + SOURCE_START] = source.start();
                flat[at + SOURCE_END] = source.end();
                System.arraycopy(source.models(), 0, flat, at + SOURCE_MODELS, words);
                descriptions[k++] = source.description();
            }
            return new HolderEntitlements(unbounded, windowed.toArray(EntitlementSource[]::new),
                    sources.toArray(EntitlementSource[]::new), licences.toArray(EntitlementSource[]::new),
                    Set.copyOf(programmes), flat, descriptions);
        }
    }

    /**
     * Something that entitles its holder to a set of versions, maybe within a validity window
     * (epoch nanos). {@code name} says what it is ("tier pro of organisations/acme", "licence
     * D123 (licences/l1)"); {@code resource} is its resource name ({@code tiers/pro},
     * {@code programmes/p}, {@code grants/g}, {@code licences/l1}); {@code description} is the
     * ENTITLED reason's text, built once here.
     */
    record EntitlementSource(long[] models, long start, long end, String resource, String name, String description) {
        EntitlementSource(long[] models, java.time.Instant start, java.time.Instant end, String resource, String name) {
            this(models, VersionSet.startNanos(start), VersionSet.endNanos(end), resource, name, "entitled through " + name);
        }

        boolean unbounded() {
            return start == VersionSet.UNBOUNDED_START && end == VersionSet.UNBOUNDED_END;
        }

        boolean covers(int version, long now) {
            return VersionSet.contains(models, version) && validAt(now);
        }

        boolean validAt(long now) {
            return now >= start && now < end;
        }
    }

    /**
     * Whom a directive's subjects are, as far as it does not depend on the moment: a binding
     * evaluates each distinct rule once per caller. Expiry and maximum evidence age are judged
     * per decision ({@link CompiledDirective#maxAgeNanos}).
     */
    record SubjectRule(DirectiveSubjects.Kind kind, DirectiveSubjects.CitizenshipMode mode, Set<String> countries,
                       AssuranceLevel minimumAssurance) {

        /**
         * Whether the caller matches while their evidence is current and young enough: unknown or
         * unverified status and assurance below the minimum count as matching (fail closed).
         */
        boolean matchesWhileEvidenceCurrent(Caller c) {
            if (c.status() == UsPersonStatus.UNKNOWN || c.verifiedAt() == null || !c.assurance().atLeast(minimumAssurance)) {
                return true;
            }
            return switch (kind) {
                case FOREIGN_PERSONS -> !c.status().isUsPerson();
                case NON_CITIZENS -> c.status() != UsPersonStatus.US_CITIZEN;
                case NATIONALS_OF -> switch (mode) {
                    case MOST_RECENT -> c.controllingCountry() != null && countries.contains(c.controllingCountry());
                    case ANY -> holdsAny(c);
                };
            };
        }

        private boolean holdsAny(Caller c) {
            for (String citizenship : c.citizenships()) {
                if (countries.contains(citizenship)) {
                    return true;
                }
            }
            return false;
        }
    }

    /**
     * A directive with its country groups expanded, its times as epoch nanos, its subject rule and
     * its carve-outs numbered for {@link BoundCaller}.
     */
    static final class CompiledDirective {
        final Directive directive;
        final Set<String> countries;
        final String denyMessage;
        final boolean enforced;
        /** Index into {@link PolicySnapshot#subjectRules()}. */
        final int subjectRule;
        /** In force from (inclusive) and until (exclusive); valid only when {@link #exactTimes}. */
        final long effectiveNanos;
        final long expiresNanos;
        /** Evidence verified longer ago counts as unverified; {@link #NO_MAXIMUM_AGE} for no limit. */
        final long maxAgeNanos;
        /** Whether every instant above fits epoch nanos; otherwise decisions use the Instants. */
        final boolean exactTimes;
        /** Programme and organisation carve-outs, as carve-out target numbers. */
        final int[] carveOutTargets;
        /** A carve-out through the caller's licences. */
        final boolean licenceCarveOut;
        /** A carve-out the binding cannot pre-test: always evaluated. */
        final boolean otherCarveOut;
        /** Prebuilt DIRECTIVE and SHADOW_DIRECTIVE reasons by version (null outside the scope until covered). */
        private final Reason[] deny;
        private final Reason[] shadow;
        /** Prebuilt denials by version: this directive alone, and not entitled with this directive after it. */
        private final Verdict[] denyVerdict;
        private final Verdict[] notEntitledVerdict;
        private final String[] versionIds;

        static final long NO_MAXIMUM_AGE = Long.MAX_VALUE;

        CompiledDirective(Directive directive, Set<String> countries, java.time.LocalDate groupsIssue,
                          String[] versionIds, int subjectRule,
                          Map<String, Integer> programmeTargets, Map<String, Integer> organisationTargets) {
            this.directive = directive;
            this.countries = countries;
            this.versionIds = versionIds;
            this.denyMessage = "directive " + directive.id() + " refuses this model to "
                    + describe(directive.subjects(), countries, groupsIssue)
                    + (directive.citation().isEmpty() ? "" : " (" + directive.citation() + ")");
            this.deny = new Reason[versionIds.length];
            this.shadow = new Reason[versionIds.length];
            this.denyVerdict = new Verdict[versionIds.length];
            this.notEntitledVerdict = new Verdict[versionIds.length];
            this.enforced = directive.mode() == Directive.Mode.ENFORCED;
            this.subjectRule = subjectRule;
            boolean exact = VersionSet.fitsNanos(directive.effectiveAt()) && VersionSet.fitsNanos(directive.expiresAt());
            this.effectiveNanos = exact ? VersionSet.startNanos(directive.effectiveAt()) : 0;
            this.expiresNanos = exact ? VersionSet.endNanos(directive.expiresAt()) : 0;
            long maxAge = NO_MAXIMUM_AGE;
            if (directive.maximumEvidenceAge() != null) {
                try {
                    maxAge = directive.maximumEvidenceAge().toNanos();
                } catch (ArithmeticException tooLong) {
                    exact = false;
                }
                if (maxAge == NO_MAXIMUM_AGE) {
                    exact = false; // indistinguishable from "no limit": let the Instants decide
                }
            }
            this.maxAgeNanos = maxAge;
            this.exactTimes = exact;
            List<Integer> targets = new ArrayList<>();
            boolean licence = false;
            boolean other = false;
            for (Directive.CarveOut co : directive.carveOuts()) {
                switch (co.kind()) {
                    case PROGRAMME, ORGANISATION -> {
                        if (co.target() == null) {
                            other = true; // let the evaluator judge it as it always did
                        } else {
                            Map<String, Integer> numbered = co.kind() == Directive.CarveOut.Kind.PROGRAMME
                                    ? programmeTargets : organisationTargets;
                            targets.add(number(numbered, co.target(), programmeTargets.size() + organisationTargets.size()));
                        }
                    }
                    case LICENSED_PERSONS, LICENCE -> licence = true; // through the person's licences
                    default -> other = true;
                }
            }
            this.carveOutTargets = targets.stream().mapToInt(Integer::intValue).distinct().toArray();
            this.licenceCarveOut = licence;
            this.otherCarveOut = other;
        }

        private static int number(Map<String, Integer> targets, String target, int next) {
            Integer t = targets.get(target);
            if (t == null) {
                t = next;
                targets.put(target, t);
            }
            return t;
        }

        void cover(int v, Reason notEntitled) {
            deny[v] = new Reason(ReasonCode.DIRECTIVE, versionIds[v], directive.id(), directive.citation(), denyMessage);
            shadow[v] = new Reason(ReasonCode.SHADOW_DIRECTIVE, versionIds[v], directive.id(), directive.citation(),
                    "would deny: " + denyMessage);
            denyVerdict[v] = Verdict.refused(List.of(deny[v]));
            notEntitledVerdict[v] = Verdict.refused(List.of(notEntitled, deny[v]));
        }

        Verdict denyVerdict(int v) {
            return denyVerdict[v];
        }

        Verdict notEntitledVerdict(int v) {
            return notEntitledVerdict[v];
        }

        Reason denyReason(int v) {
            return deny[v];
        }

        Reason shadowReason(int v) {
            return shadow[v];
        }
    }

    /** For people; names the country groups and the date of the table that expanded them. */
    private static String describe(DirectiveSubjects subjects, Set<String> countries, java.time.LocalDate groupsIssue) {
        return switch (subjects.kind()) {
            case FOREIGN_PERSONS -> "foreign persons and callers whose US-person status is not verified";
            case NON_CITIZENS -> "non-US citizens and callers whose citizenship is not verified";
            case NATIONALS_OF -> "nationals of " + String.join(", ", new java.util.TreeSet<>(countries))
                    + (subjects.countryGroups().isEmpty() ? "" : " (EAR country group"
                    + (subjects.countryGroups().size() > 1 ? "s " : " ")
                    + String.join(", ", new java.util.TreeSet<>(subjects.countryGroups()))
                    + (groupsIssue == null ? "" : " as of " + groupsIssue) + ")")
                    + " and callers whose citizenship is not verified";
        };
    }

    private static Set<String> expandCountries(DirectiveSubjects subjects, CountryGroups groups) {
        Set<String> out = new HashSet<>();
        for (String c : subjects.countries()) {
            out.add(c.toUpperCase(Locale.ROOT));
        }
        for (String g : subjects.countryGroups()) {
            Set<String> members = groups.groups().get(g);
            if (members == null) {
                throw new IllegalArgumentException("unknown country group " + g);
            }
            out.addAll(members);
        }
        return Set.copyOf(out);
    }

    private static <T> void add(Map<String, List<T>> map, String key, T value) {
        map.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
    }

    /** Turns model patterns (exact ids, or prefixes ending in {@code *}) into bit sets over versions. */
    private static final class PatternIndex {
        private final String[] versionIds;
        private final Map<String, BitSet> cache = new HashMap<>();

        PatternIndex(String[] versionIds) {
            this.versionIds = versionIds;
        }

        long[] of(List<String> patterns) {
            BitSet out = new BitSet(versionIds.length);
            for (String p : patterns) {
                out.or(cache.computeIfAbsent(p.toLowerCase(Locale.ROOT), this::match));
            }
            return VersionSet.of(out, versionIds.length);
        }

        private BitSet match(String pattern) {
            BitSet bits = new BitSet(versionIds.length);
            boolean prefix = pattern.endsWith("*");
            String stem = prefix ? pattern.substring(0, pattern.length() - 1) : pattern;
            for (int v = 0; v < versionIds.length; v++) {
                if (prefix ? versionIds[v].startsWith(stem) : versionIds[v].equals(stem)) {
                    bits.set(v);
                }
            }
            return bits;
        }
    }
}
