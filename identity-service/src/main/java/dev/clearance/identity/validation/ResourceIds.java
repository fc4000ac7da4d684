package dev.clearance.identity.validation;

import java.util.Optional;
import java.util.regex.Pattern;

/** Resource ids and names ({@code persons/alice}) of this service. */
public final class ResourceIds {

    /** Lower-case letters, digits and hyphens, 1 to 63 characters, no leading or trailing hyphen. */
    public static final Pattern ID = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    public static final String ID_RULE = "must be 1 to 63 lower-case letters, digits or hyphens, "
            + "starting and ending with a letter or digit";

    public static final String PERSONS = "persons";
    public static final String ORGANISATIONS = "organisations";
    public static final String API_KEYS = "apiKeys";
    public static final String SCREENING_MATCHES = "screeningMatches";

    private ResourceIds() {
    }

    public static boolean isValidId(String id) {
        return id != null && ID.matcher(id).matches();
    }

    /** The id of {@code collection/{id}}, when {@code name} has exactly that shape. */
    public static Optional<String> parse(String collection, String name) {
        String prefix = collection + "/";
        if (name == null || !name.startsWith(prefix)) {
            return Optional.empty();
        }
        String id = name.substring(prefix.length());
        return isValidId(id) ? Optional.of(id) : Optional.empty();
    }

    public static String name(String collection, String id) {
        return collection + "/" + id;
    }

    public static String verificationName(String personId, String verificationId) {
        return verificationsOf(personId) + "/" + verificationId;
    }

    /** The collection of a person's verifications, {@code persons/{person}/verifications}. */
    public static String verificationsOf(String personId) {
        return PERSONS + "/" + personId + "/verifications";
    }

    /** Person id and verification id of {@code persons/{person}/verifications/{verification}}. */
    public static Optional<String[]> parseVerificationName(String name) {
        if (name == null) {
            return Optional.empty();
        }
        String[] parts = name.split("/", -1);
        if (parts.length != 4 || !PERSONS.equals(parts[0]) || !"verifications".equals(parts[2])
                || !isValidId(parts[1]) || !isValidId(parts[3])) {
            return Optional.empty();
        }
        return Optional.of(new String[]{parts[1], parts[3]});
    }
}
