package dev.clearance.cli;

import java.time.Duration;

/** Durations as people type them: {@code 30s}, {@code 2m}, {@code 12h30m}, {@code 90d}, {@code 500ms}. */
public final class Durations {

    private Durations() {
    }

    public static Duration parse(String text) {
        String s = text.strip().toLowerCase(java.util.Locale.ROOT);
        if (s.isEmpty()) {
            throw invalid(text);
        }
        Duration total = Duration.ZERO;
        int i = 0;
        while (i < s.length()) {
            int start = i;
            while (i < s.length() && Character.isDigit(s.charAt(i))) {
                i++;
            }
            if (start == i || i - start > 12) {
                throw invalid(text);
            }
            long amount = Long.parseLong(s.substring(start, i));
            int unitStart = i;
            while (i < s.length() && Character.isLetter(s.charAt(i))) {
                i++;
            }
            total = total.plus(switch (s.substring(unitStart, i)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                case "d" -> Duration.ofDays(amount);
                default -> throw invalid(text);
            });
        }
        return total;
    }

    private static IllegalArgumentException invalid(String text) {
        return new IllegalArgumentException("expected a duration such as 30s, 2m, 12h30m or 90d, found \"" + text + "\"");
    }

    /** picocli converter for options such as {@code --wait 30s}. */
    public static final class Converter implements picocli.CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            try {
                return parse(value);
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}
