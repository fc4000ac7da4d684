package dev.clearance.policy;

import java.text.Normalizer;
import java.util.Locale;

/**
 * Canonical form of a requested model name, computed once per request so that no
 * spelling (case, spaces, full-width or invisible characters) can bypass a directive.
 */
public final class ModelName {

    private static final int MAX_LENGTH = 128;

    private ModelName() {
    }

    /**
     * Trims, applies Unicode NFKC (full-width letters become ASCII) and lower-cases.
     *
     * @throws InvalidModelNameException for an empty name, control or invisible (format)
     *                                   characters, inner whitespace or an over-long name
     */
    public static String normalise(String raw) {
        if (raw == null) {
            throw new InvalidModelNameException("model name is required");
        }
        if (isCanonical(raw)) {
            return raw; // the common case: already lower-case ASCII, nothing to normalise
        }
        if (raw.length() > MAX_LENGTH * 4) {
            throw new InvalidModelNameException("model name is longer than " + MAX_LENGTH + " characters");
        }
        String text = Normalizer.normalize(raw, Normalizer.Form.NFKC).strip();
        if (text.isEmpty()) {
            throw new InvalidModelNameException("model name is required");
        }
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            int type = Character.getType(cp);
            if (type == Character.CONTROL || type == Character.FORMAT || type == Character.PRIVATE_USE
                    || type == Character.SURROGATE || type == Character.UNASSIGNED) {
                throw new InvalidModelNameException(
                        String.format("model name contains the invisible or control character U+%04X", cp));
            }
            if (Character.isWhitespace(cp) || Character.isSpaceChar(cp)) {
                throw new InvalidModelNameException("model name contains whitespace");
            }
            i += Character.charCount(cp);
        }
        if (text.length() > MAX_LENGTH) {
            throw new InvalidModelNameException("model name is longer than " + MAX_LENGTH + " characters");
        }
        return text.toLowerCase(Locale.ROOT);
    }

    /** Lower-case ASCII letters, digits, dots, hyphens and underscores only: NFKC and lower-casing change nothing. */
    static boolean isCanonical(String s) {
        int n = s.length();
        if (n == 0 || n > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_')) {
                return false;
            }
        }
        return true;
    }
}
