package dev.clearance.cli;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Duration;
import com.google.protobuf.Message;
import com.google.protobuf.Timestamp;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads a resource (a directive, a grant, ...) from a YAML or JSON file into its proto message, following the
 * message's descriptor: field names as in the proto ({@code minimum_assurance}) or its JSON form
 * ({@code minimumAssurance}); enum values with or without their prefix and in any case ({@code FOREIGN_PERSONS},
 * {@code foreign-persons}); timestamps as RFC 3339 or a date; durations as {@code 90d}, {@code 12h30m},
 * {@code 45s} or ISO-8601; a single value where a list is expected; and for a message whose one field of that
 * name is a flag, just the name ({@code carve_outs: [licensed_persons]}). Every problem is reported with its
 * line and field path ({@code directive.yaml:7: subjects.kind: unknown value "FORIEGN" ...}), all of them at
 * once, before anything is sent. The line of every field is kept, so the server's field violations can be
 * shown at their line too.
 */
public final class ProtoFile {

    /** One problem in a file. {@code line} is 1-based; 0 when unknown. */
    public record Problem(int line, String path, String message) {
        public String format(String file) {
            return file + (line > 0 ? ":" + line : "") + ": " + (path.isEmpty() ? "" : path + ": ") + message;
        }
    }

    /** A malformed file: every problem found. Exit code {@link ExitCodes#USAGE}. */
    public static final class InvalidFileException extends CliException {
        private final List<Problem> problems;

        InvalidFileException(String file, List<Problem> problems) {
            super(ExitCodes.USAGE, problems.stream().map(p -> p.format(file)).collect(Collectors.joining("\n")));
            this.problems = List.copyOf(problems);
        }

        public List<Problem> problems() {
            return problems;
        }
    }

    /**
     * A parsed file.
     *
     * @param extras top-level scalar keys that are not fields of the message (such as {@code id})
     * @param lines  line of every field path read ({@code subjects.countries[0]} → 9)
     */
    public record Parsed<M extends Message>(String file, M message, Map<String, String> extras,
                                            Map<String, Integer> lines) {
        /** The line of a server's field path ({@code directive.subjects.kind}), or of its nearest parent; 0 if none. */
        public int lineOf(String fieldPath, String requestField) {
            String path = fieldPath;
            if (requestField != null && path.startsWith(requestField + ".")) {
                path = path.substring(requestField.length() + 1);
            }
            while (!path.isEmpty()) {
                Integer line = lines.get(path);
                if (line != null) {
                    return line;
                }
                int cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
                path = cut < 0 ? "" : path.substring(0, cut);
            }
            return 0;
        }
    }

    private final String file;
    private final Set<String> extraKeys;
    private final List<Problem> problems = new ArrayList<>();
    private final Map<String, String> extras = new LinkedHashMap<>();
    private final Map<String, Integer> lines = new HashMap<>();

    private ProtoFile(String file, Set<String> extraKeys) {
        this.file = file;
        this.extraKeys = extraKeys;
    }

    public static <M extends Message> Parsed<M> read(Path path, M prototype, Set<String> extraKeys) {
        String text;
        try {
            text = Files.readString(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new CliException(ExitCodes.USAGE, path + ": cannot read (" + e.getMessage() + ")");
        }
        return parse(path.toString(), text, prototype, extraKeys);
    }

    @SuppressWarnings("unchecked")
    public static <M extends Message> Parsed<M> parse(String fileName, String text, M prototype, Set<String> extraKeys) {
        ProtoFile reader = new ProtoFile(fileName, extraKeys);
        Message.Builder builder = prototype.newBuilderForType();
        Node root = reader.compose(new StringReader(text));
        if (root != null) {
            reader.readMessage(root, builder, "", true);
        } else if (reader.problems.isEmpty()) {
            reader.problems.add(new Problem(1, "", "the file is empty"));
        }
        if (!reader.problems.isEmpty()) {
            throw new InvalidFileException(fileName, reader.problems);
        }
        return new Parsed<>(fileName, (M) builder.build(), Map.copyOf(reader.extras), Map.copyOf(reader.lines));
    }

    private Node compose(Reader reader) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        try {
            return new Yaml(new SafeConstructor(options)).compose(reader);
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            problems.add(new Problem(mark == null ? 0 : mark.getLine() + 1, "",
                    "not valid YAML or JSON: " + (e.getProblem() != null ? e.getProblem() : e.getMessage())));
            return null;
        } catch (YAMLException e) {
            problems.add(new Problem(0, "", "not valid YAML or JSON: " + e.getMessage()));
            return null;
        }
    }

    private static int line(Node node) {
        return node.getStartMark() == null ? 0 : node.getStartMark().getLine() + 1;
    }

    private void problem(Node node, String path, String message) {
        problems.add(new Problem(line(node), path, message));
    }

    private void readMessage(Node node, Message.Builder builder, String path, boolean topLevel) {
        Descriptor type = builder.getDescriptorForType();
        if (!(node instanceof MappingNode mapping)) {
            problem(node, path, "expected a mapping of " + fieldList(type) + ", found " + describe(node));
            return;
        }
        Set<String> seen = new HashSet<>();
        for (NodeTuple tuple : mapping.getValue()) {
            Node keyNode = tuple.getKeyNode();
            if (!(keyNode instanceof ScalarNode keyScalar)) {
                problem(keyNode, path, "a key must be a plain name");
                continue;
            }
            String key = keyScalar.getValue();
            if (topLevel && extraKeys.contains(key)) {
                if (tuple.getValueNode() instanceof ScalarNode v) {
                    extras.put(key, v.getValue());
                    lines.put(key, line(keyNode));
                } else {
                    problem(tuple.getValueNode(), key, "expected a single value");
                }
                continue;
            }
            FieldDescriptor field = field(type, key);
            String fieldPath = path.isEmpty() ? (field == null ? key : field.getName())
                    : path + "." + (field == null ? key : field.getName());
            if (field == null) {
                List<String> known = new ArrayList<>(names(type));
                if (topLevel) {
                    known.addAll(extraKeys);
                }
                problem(keyNode, fieldPath, "unknown field (known: " + String.join(", ", known) + ")");
                continue;
            }
            if (!seen.add(field.getName())) {
                problem(keyNode, fieldPath, "given twice");
                continue;
            }
            lines.put(fieldPath, line(keyNode));
            readField(tuple.getValueNode(), builder, field, fieldPath);
        }
    }

    private void readField(Node node, Message.Builder builder, FieldDescriptor field, String path) {
        if (field.isMapField()) {
            problem(node, path, "map fields cannot be given in a file; use the API");
            return;
        }
        if (field.isRepeated()) {
            List<Node> items = node instanceof SequenceNode seq ? seq.getValue() : List.of(node);
            for (int i = 0; i < items.size(); i++) {
                String itemPath = path + "[" + i + "]";
                lines.put(itemPath, line(items.get(i)));
                Object value = value(items.get(i), builder, field, itemPath);
                if (value != null) {
                    builder.addRepeatedField(field, value);
                }
            }
            return;
        }
        if (field.getRealContainingOneof() != null && builder.hasOneof(field.getRealContainingOneof())) {
            problem(node, path, "only one of " + field.getRealContainingOneof().getFields().stream()
                    .map(FieldDescriptor::getName).collect(Collectors.joining(", ")) + " may be given");
            return;
        }
        Object value = value(node, builder, field, path);
        if (value != null) {
            builder.setField(field, value);
        }
    }

    /** The value for one (element of a) field, or null after recording a problem. */
    private Object value(Node node, Message.Builder parent, FieldDescriptor field, String path) {
        if (field.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
            return messageValue(node, parent.newBuilderForField(field), path);
        }
        if (!(node instanceof ScalarNode scalar)) {
            problem(node, path, "expected a single value, found " + describe(node));
            return null;
        }
        String text = scalar.getValue().strip();
        try {
            return switch (field.getJavaType()) {
                case STRING -> scalar.getValue();
                case BOOLEAN -> switch (text.toLowerCase(Locale.ROOT)) {
                    case "true", "yes", "on" -> true;
                    case "false", "no", "off" -> false;
                    default -> throw new IllegalArgumentException("expected true or false, found \"" + text + "\"");
                };
                case INT -> Integer.parseInt(text);
                case LONG -> Long.parseLong(text);
                case FLOAT -> Float.parseFloat(text);
                case DOUBLE -> Double.parseDouble(text);
                case ENUM -> enumValue(field.getEnumType(), text);
                default -> throw new IllegalArgumentException("fields of type " + field.getJavaType()
                        + " cannot be given in a file");
            };
        } catch (NumberFormatException e) {
            problem(node, path, "expected a number, found \"" + text + "\"");
        } catch (IllegalArgumentException e) {
            problem(node, path, e.getMessage());
        }
        return null;
    }

    private Message messageValue(Node node, Message.Builder builder, String path) {
        Descriptor type = builder.getDescriptorForType();
        if (type.getFullName().equals(Timestamp.getDescriptor().getFullName())) {
            return node instanceof ScalarNode s ? parseOrProblem(node, path, () -> timestamp(s.getValue().strip()))
                    : problemNull(node, path, "expected a time such as 2026-06-12T21:21:00Z");
        }
        if (type.getFullName().equals(Duration.getDescriptor().getFullName())) {
            return node instanceof ScalarNode s ? parseOrProblem(node, path, () -> duration(s.getValue().strip()))
                    : problemNull(node, path, "expected a duration such as 90d, 12h or 45s");
        }
        if (node instanceof ScalarNode flag) {
            // `carve_outs: [licensed_persons]`: the name of a flag field in the message sets it.
            FieldDescriptor f = field(type, flag.getValue().strip());
            if (f != null && f.getJavaType() == FieldDescriptor.JavaType.BOOLEAN && !f.isRepeated()) {
                builder.setField(f, true);
                return builder.build();
            }
            return problemNull(node, path, "expected a mapping of " + fieldList(type) + ", found \""
                    + flag.getValue() + "\"");
        }
        int before = problems.size();
        readMessage(node, builder, path, false);
        return problems.size() == before ? builder.build() : null;
    }

    private interface Parser<T> {
        T parse();
    }

    private <T> T parseOrProblem(Node node, String path, Parser<T> parser) {
        try {
            return parser.parse();
        } catch (IllegalArgumentException e) {
            problem(node, path, e.getMessage());
            return null;
        }
    }

    private <T> T problemNull(Node node, String path, String message) {
        problem(node, path, message);
        return null;
    }

    static EnumValueDescriptor enumValue(EnumDescriptor type, String text) {
        String prefix = enumPrefix(type);
        String wanted = text.toUpperCase(Locale.ROOT).replace('-', '_').replace(' ', '_');
        for (EnumValueDescriptor v : type.getValues()) {
            if (v.getNumber() != 0 && (v.getName().equals(wanted) || v.getName().equals(prefix + wanted))) {
                return v;
            }
        }
        throw new IllegalArgumentException("unknown value \"" + text + "\" (one of " + type.getValues().stream()
                .filter(v -> v.getNumber() != 0).map(v -> shortName(v)).collect(Collectors.joining(", ")) + ")");
    }

    /** {@code SubjectKind} → {@code SUBJECT_KIND_}. */
    static String enumPrefix(EnumDescriptor type) {
        String name = type.getName();
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (Character.isUpperCase(c) && i > 0) {
                b.append('_');
            }
            b.append(Character.toUpperCase(c));
        }
        return b.append('_').toString();
    }

    /** {@code SUBJECT_KIND_FOREIGN_PERSONS} → {@code FOREIGN_PERSONS}. */
    static String shortName(EnumValueDescriptor v) {
        String prefix = enumPrefix(v.getType());
        return v.getName().startsWith(prefix) ? v.getName().substring(prefix.length()) : v.getName();
    }

    static Timestamp timestamp(String text) {
        Instant instant;
        try {
            instant = text.length() == 10 ? LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant()
                    : OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("expected a time such as 2026-06-12T21:21:00Z or a date 2026-06-12,"
                    + " found \"" + text + "\"");
        }
        return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
    }

    static Duration duration(String text) {
        java.time.Duration d;
        if (text.startsWith("P") || text.startsWith("p")) {
            try {
                d = java.time.Duration.parse(text);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("expected a duration such as 90d, 12h30m, 45s or PT1H, found \""
                        + text + "\"");
            }
        } else {
            d = Durations.parse(text);
        }
        return Duration.newBuilder().setSeconds(d.getSeconds()).setNanos(d.getNano()).build();
    }

    private static FieldDescriptor field(Descriptor type, String key) {
        FieldDescriptor f = type.findFieldByName(key);
        if (f == null) {
            f = type.findFieldByName(key.replace('-', '_'));
        }
        if (f == null) {
            for (FieldDescriptor candidate : type.getFields()) {
                if (candidate.getJsonName().equals(key)) {
                    return candidate;
                }
            }
        }
        return f;
    }

    private static List<String> names(Descriptor type) {
        return type.getFields().stream().map(FieldDescriptor::getName).toList();
    }

    private static String fieldList(Descriptor type) {
        return String.join(", ", names(type));
    }

    private static String describe(Node node) {
        if (node instanceof ScalarNode s) {
            return "\"" + s.getValue() + "\"";
        }
        return node instanceof SequenceNode ? "a list" : "a mapping";
    }
}
