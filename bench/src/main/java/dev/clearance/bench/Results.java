package dev.clearance.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** bench/results.json (flat figures, merged across benchmark runs) and the sections of BENCHMARKS.md. */
final class Results {

    private static final Pattern ENTRY = Pattern.compile("\"([a-z0-9_]+)\"\\s*:\\s*(\"[^\"]*\"|[-0-9.eE]+)");

    private Results() {
    }

    static void merge(Path file, Map<String, Object> figures) throws IOException {
        Map<String, String> all = new LinkedHashMap<>();
        if (Files.exists(file)) {
            Matcher m = ENTRY.matcher(Files.readString(file));
            while (m.find()) {
                all.put(m.group(1), m.group(2));
            }
        }
        figures.forEach((k, v) -> all.put(k, v instanceof String s ? "\"" + s + "\"" : String.valueOf(v)));
        StringBuilder sb = new StringBuilder("{\n");
        int i = 0;
        for (var e : all.entrySet()) {
            sb.append("  \"").append(e.getKey()).append("\": ").append(e.getValue())
                    .append(++i < all.size() ? ",\n" : "\n");
        }
        sb.append("}\n");
        Files.createDirectories(file.getParent());
        Files.writeString(file, sb.toString(), StandardCharsets.UTF_8);
    }

    /** Replaces the text between {@code <!-- name:start -->} and {@code <!-- name:end -->}, or appends it. */
    static void replaceSection(Path file, String name, String body) throws IOException {
        String start = "<!-- " + name + ":start -->";
        String end = "<!-- " + name + ":end -->";
        String text = Files.exists(file) ? Files.readString(file) : "# Benchmarks\n\nFigures measured on the "
                + "project's own machines. These machines are shared and noisy: read them as orders of magnitude "
                + "and compare figures taken side by side in one run.\n";
        String block = start + "\n" + body + "\n" + end;
        int s = text.indexOf(start);
        int e = text.indexOf(end);
        text = s >= 0 && e > s ? text.substring(0, s) + block + text.substring(e + end.length())
                : text.stripTrailing() + "\n\n" + block + "\n";
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    static String machine() {
        String cpu = "unknown CPU";
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    cpu = line.substring(line.indexOf(':') + 1).trim();
                    break;
                }
            }
        } catch (IOException ignored) {
            // not Linux: the CPU stays unnamed
        }
        long memGiB = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getTotalMemorySize() >> 30;
        return "Machine: " + Runtime.getRuntime().availableProcessors() + " cores (" + cpu + "), " + memGiB
                + " GiB; JDK " + System.getProperty("java.vm.vendor") + " " + System.getProperty("java.vm.version")
                + "; date " + LocalDate.now(ZoneOffset.UTC);
    }
}
