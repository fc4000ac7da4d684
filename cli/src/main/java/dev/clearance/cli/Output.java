package dev.clearance.cli;

import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Duration;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.Timestamp;
import com.google.protobuf.util.JsonFormat;

import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * How results are printed: {@link Format#table} for people (aligned columns, or {@code key  value} lines for one
 * resource), {@link Format#json} for scripts (the proto JSON mapping of the whole response, one document).
 */
public final class Output {

    public enum Format { table, json }

    /** A table column: header and a path of proto field names ({@code subjects.kind}). */
    public record Column(String header, String path) {
    }

    private static final JsonFormat.Printer JSON = JsonFormat.printer();

    private final PrintWriter out;
    private final Format format;

    public Output(PrintWriter out, Format format) {
        this.out = out;
        this.format = format;
    }

    public boolean json() {
        return format == Format.json;
    }

    /** One resource: proto JSON, or one {@code field  value} line per set field (nested fields dotted). */
    public void resource(MessageOrBuilder message) {
        if (json()) {
            printJson(message);
            return;
        }
        List<String[]> rows = new ArrayList<>();
        flatten(message, "", rows);
        int width = rows.stream().mapToInt(r -> r[0].length()).max().orElse(0);
        for (String[] r : rows) {
            out.println(String.format("%-" + width + "s  %s", r[0], r[1]));
        }
        out.flush();
    }

    /** Many resources in columns; with json, the whole {@code response}. */
    public void table(MessageOrBuilder response, List<? extends MessageOrBuilder> rows, List<Column> columns) {
        if (json()) {
            printJson(response);
            return;
        }
        List<List<String>> cells = new ArrayList<>();
        cells.add(columns.stream().map(Column::header).toList());
        for (MessageOrBuilder row : rows) {
            cells.add(columns.stream().map(c -> value(row, c.path())).toList());
        }
        printCells(cells);
    }

    public void printCells(List<List<String>> cells) {
        int[] widths = new int[cells.get(0).size()];
        for (List<String> row : cells) {
            for (int i = 0; i < row.size(); i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        for (List<String> row : cells) {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < row.size(); i++) {
                b.append(i == row.size() - 1 ? row.get(i) : String.format("%-" + widths[i] + "s  ", row.get(i)));
            }
            out.println(b.toString().stripTrailing());
        }
        out.flush();
    }

    public void printJson(MessageOrBuilder message) {
        try {
            out.println(JSON.print(message));
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("cannot print " + message.getClass().getSimpleName() + " as JSON", e);
        }
        out.flush();
    }

    public void line(String text) {
        out.println(text);
        out.flush();
    }

    /** The text of a field path in a message; empty when unset. */
    public static String value(MessageOrBuilder message, String path) {
        Object current = message;
        for (String part : path.split("\\.")) {
            if (!(current instanceof MessageOrBuilder m)) {
                return "";
            }
            FieldDescriptor f = m.getDescriptorForType().findFieldByName(part);
            if (f == null) {
                throw new IllegalArgumentException("no field " + part + " in " + m.getDescriptorForType().getName());
            }
            if (f.isRepeated()) {
                List<?> list = (List<?>) m.getField(f);
                return list.stream().map(Output::text).collect(Collectors.joining(","));
            }
            if (f.getJavaType() == FieldDescriptor.JavaType.MESSAGE && !m.hasField(f)) {
                return "";
            }
            current = m.getField(f);
        }
        return text(current);
    }

    static String text(Object value) {
        if (value instanceof com.google.protobuf.ProtocolMessageEnum e) {
            value = e.getValueDescriptor();
        }
        if (value instanceof EnumValueDescriptor e) {
            return e.getNumber() == 0 ? "" : ProtoFile.shortName(e);
        }
        if (value instanceof Timestamp t) {
            return Instant.ofEpochSecond(t.getSeconds(), t.getNanos()).toString();
        }
        if (value instanceof Duration d) {
            return java.time.Duration.ofSeconds(d.getSeconds(), d.getNanos()).toString().substring(2).toLowerCase();
        }
        if (value instanceof Message m) {
            List<String[]> rows = new ArrayList<>();
            flatten(m, "", rows);
            return rows.stream().map(r -> r[0] + "=" + r[1]).collect(Collectors.joining(" "));
        }
        return String.valueOf(value);
    }

    private static void flatten(MessageOrBuilder message, String prefix, List<String[]> rows) {
        for (Map.Entry<FieldDescriptor, Object> e : message.getAllFields().entrySet()) {
            FieldDescriptor f = e.getKey();
            String name = prefix + f.getName();
            Object v = e.getValue();
            boolean plainMessage = f.getJavaType() == FieldDescriptor.JavaType.MESSAGE
                    && !(f.getMessageType().getFullName().equals(Timestamp.getDescriptor().getFullName())
                    || f.getMessageType().getFullName().equals(Duration.getDescriptor().getFullName()));
            if (f.isRepeated() && plainMessage) {
                List<?> list = (List<?>) v;
                for (int i = 0; i < list.size(); i++) {
                    flatten((MessageOrBuilder) list.get(i), name + "[" + i + "].", rows);
                }
            } else if (f.isRepeated()) {
                rows.add(new String[] {name, ((List<?>) v).stream().map(Output::text).collect(Collectors.joining(", "))});
            } else if (plainMessage) {
                flatten((MessageOrBuilder) v, name + ".", rows);
            } else {
                rows.add(new String[] {name, text(v)});
            }
        }
    }
}
