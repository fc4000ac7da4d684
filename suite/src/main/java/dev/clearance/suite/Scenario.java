package dev.clearance.suite;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Representer;
import org.yaml.snakeyaml.resolver.Resolver;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The demo scenario ({@code demo/scenario.yaml}): catalogue, entitlements, organisations, people
 * with their verification evidence, the directive, and the decisions expected once it is in force.
 */
public record Scenario(Catalogue catalogue,
                       Map<String, List<String>> tiers,
                       Map<String, Programme> programmes,
                       Map<String, Organisation> organisations,
                       VerificationDefaults verificationDefaults,
                       Map<String, Person> people,
                       Directive directive,
                       List<Expectation> expected) {

    public static final String ORGANISATION_API_KEY = "organisation-api-key";

    public record Catalogue(List<Family> families) {
    }

    public record Family(String family, String displayName, boolean controlled, List<String> versions,
                         Map<String, String> aliases) {
        public Family {
            aliases = aliases == null ? Map.of() : aliases;
        }
    }

    public record Programme(List<String> models, String note) {
    }

    public record Organisation(String displayName, String country, String tier, List<String> programmes) {
        public Organisation {
            programmes = programmes == null ? List.of() : programmes;
        }
    }

    public record VerificationDefaults(String assurance, String immigrationStatus, String verifiedAt,
                                       String expiresAt) {
    }

    /**
     * A person, or (with {@code kind: organisation-api-key}) an API key of {@code org} bound to no person.
     *
     * @param acquired acquisition date (YYYY-MM-DD) per citizenship not held from birth
     * @param located  informational: location never proves nationality
     */
    public record Person(String org, String kind, String subject, String displayName, List<String> citizenships,
                         Map<String, String> acquired, String immigrationStatus, String assurance,
                         String verifiedAt, String expiresAt, String located, String evidence, Licence licence) {
        public Person {
            citizenships = citizenships == null ? List.of() : citizenships;
            acquired = acquired == null ? Map.of() : acquired;
        }

        public boolean isOrganisationApiKey() {
            return ORGANISATION_API_KEY.equals(kind);
        }
    }

    /** @param valid {@code start..end}, ISO dates, end exclusive */
    public record Licence(String kind, String reference, List<String> covers, String valid) {
        public String start() {
            return valid.split("\\.\\.")[0].trim();
        }

        public String end() {
            return valid.split("\\.\\.")[1].trim();
        }
    }

    public record Directive(String id, String reference, String issuer, String receivedAt, String effectiveAt,
                            String citation, Scope scope, Subjects subjects, String minimumAssurance,
                            List<String> carveOuts) {
    }

    /** @param fromVersion per family, the first covered version (every later one is covered too) */
    public record Scope(List<String> families, Map<String, String> fromVersion) {
        public Scope {
            fromVersion = fromVersion == null ? Map.of() : fromVersion;
        }
    }

    public record Subjects(String kind, List<String> countries, List<String> countryGroups) {
        public Subjects {
            countries = countries == null ? List.of() : countries;
            countryGroups = countryGroups == null ? List.of() : countryGroups;
        }
    }

    /**
     * One expected decision with the directive in force.
     *
     * @param fallback {@code forbidden} to ask without fallback; absent allows it
     * @param served   the served version when it differs from the requested name
     * @param reason   the primary reason code when the requested model is refused
     */
    public record Expectation(String who, String model, String fallback, String outcome, String served,
                              String reason) {

        public boolean fallbackForbidden() {
            return "forbidden".equals(fallback);
        }

        /** The version that serves: {@code served}, or the requested name itself. */
        public String servedModel() {
            return "DENY".equals(outcome) ? null : served != null ? served : model;
        }

        /**
         * The same request without any directive in force: a row refused because of the directive
         * becomes an ALLOW of the requested model; every other row stays as it is.
         */
        public Expectation withoutDirective() {
            if (!"DIRECTIVE".equals(reason)) {
                return this;
            }
            return new Expectation(who, model, fallback, "ALLOW", null, null);
        }

        @Override
        public String toString() {
            String ask = who + " asks for " + model + (fallbackForbidden() ? " (no fallback)" : "");
            String answer = outcome + (servedModel() == null ? "" : " served " + servedModel())
                    + (reason == null ? "" : " because " + reason);
            return ask + " -> " + answer;
        }
    }

    public static Scenario load(Path file) {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            Object tree = yaml().load(reader);
            Scenario scenario = JSON.convertValue(tree, Scenario.class);
            scenario.validate();
            return scenario;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read scenario " + file, e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("scenario " + file + " is malformed: " + e.getMessage(), e);
        }
    }

    /** {@code demo/scenario.yaml} of the repository. */
    public static Path defaultFile() {
        return SuiteConfig.locateHome().resolve("demo/scenario.yaml");
    }

    private static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

    /** YAML without implicit timestamps: dates stay the strings they are written as. */
    private static Yaml yaml() {
        LoaderOptions options = new LoaderOptions();
        Resolver resolver = new Resolver() {
            @Override
            public void addImplicitResolver(Tag tag, Pattern regexp, String first, int limit) {
                if (!Tag.TIMESTAMP.equals(tag)) {
                    super.addImplicitResolver(tag, regexp, first, limit);
                }
            }
        };
        return new Yaml(new SafeConstructor(options), new Representer(new DumperOptions()), new DumperOptions(),
                options, resolver);
    }

    /** Cross-references, so a typo fails at load time and not half-way through applying it. */
    private void validate() {
        List<String> problems = new ArrayList<>();
        Map<String, String> versionFamily = new LinkedHashMap<>();
        for (Family f : catalogue.families()) {
            f.versions().forEach(v -> versionFamily.put(v, f.family()));
        }
        organisations.forEach((id, org) -> {
            if (org.tier() != null && !tiers.containsKey(org.tier())) {
                problems.add("organisation " + id + ": unknown tier " + org.tier());
            }
            org.programmes().stream().filter(p -> !programmes.containsKey(p))
                    .forEach(p -> problems.add("organisation " + id + ": unknown programme " + p));
        });
        people.forEach((id, p) -> {
            if (!organisations.containsKey(p.org())) {
                problems.add("person " + id + ": unknown organisation " + p.org());
            }
            if (!p.isOrganisationApiKey() && (p.subject() == null || p.citizenships().isEmpty())) {
                problems.add("person " + id + ": needs a subject and citizenships");
            }
        });
        for (Expectation e : expected) {
            if (!people.containsKey(e.who())) {
                problems.add("expected row for unknown person " + e.who());
            }
            if (e.served() != null && !versionFamily.containsKey(e.served())) {
                problems.add("expected row serves unknown version " + e.served());
            }
            if (!List.of("ALLOW", "ALLOW_FALLBACK", "DENY").contains(e.outcome())) {
                problems.add("expected row has unknown outcome " + e.outcome());
            }
        }
        directive.scope().families().stream()
                .filter(f -> catalogue.families().stream().noneMatch(c -> c.family().equals(f)))
                .forEach(f -> problems.add("directive scope names unknown family " + f));
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        Objects.requireNonNull(verificationDefaults, "verification_defaults");
    }

    /** The organisation API key entries of {@link #people}. */
    public Map<String, Person> organisationApiKeys() {
        Map<String, Person> keys = new LinkedHashMap<>();
        people.forEach((id, p) -> {
            if (p.isOrganisationApiKey()) {
                keys.put(id, p);
            }
        });
        return keys;
    }

    /** The natural persons of {@link #people}. */
    public Map<String, Person> persons() {
        Map<String, Person> persons = new LinkedHashMap<>();
        people.forEach((id, p) -> {
            if (!p.isOrganisationApiKey()) {
                persons.put(id, p);
            }
        });
        return persons;
    }
}
