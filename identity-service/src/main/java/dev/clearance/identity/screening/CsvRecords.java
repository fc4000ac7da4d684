package dev.clearance.identity.screening;

import java.util.ArrayList;
import java.util.List;

/**
 * RFC 4180 CSV: comma-separated, fields optionally in double quotes, {@code ""} for a quote
 * inside quotes, line breaks inside quoted fields, CRLF or LF. Strict: an unterminated quote or
 * a quote in the middle of an unquoted field is an error, because a list that parses "somehow"
 * could drop names silently.
 */
final class CsvRecords {

    /** One record and the line it started on (1-based). */
    record Row(int line, List<String> fields) {
    }

    private CsvRecords() {
    }

    static List<Row> parse(String text) throws MalformedListException {
        List<Row> rows = new ArrayList<>();
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        boolean fieldStarted = false;
        boolean afterQuote = false;
        int line = 1;
        int rowLine = 1;
        int i = text.startsWith("\uFEFF") ? 1 : 0;
        for (; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < text.length() && text.charAt(i + 1) == '"') {
                        field.append('"');
                        i++;
                    } else {
                        quoted = false;
                        afterQuote = true;
                    }
                } else {
                    if (c == '\n') {
                        line++;
                    }
                    field.append(c);
                }
                continue;
            }
            switch (c) {
                case '"' -> {
                    if (fieldStarted) {
                        throw new MalformedListException("line " + line + ": quote inside an unquoted field");
                    }
                    quoted = true;
                    fieldStarted = true;
                }
                case ',' -> {
                    fields.add(field.toString());
                    field.setLength(0);
                    fieldStarted = false;
                    afterQuote = false;
                }
                case '\r' -> {
                    // part of CRLF; the LF ends the record
                }
                case '\n' -> {
                    fields.add(field.toString());
                    if (!(fields.size() == 1 && fields.get(0).isEmpty())) {
                        rows.add(new Row(rowLine, List.copyOf(fields)));
                    }
                    fields.clear();
                    field.setLength(0);
                    fieldStarted = false;
                    afterQuote = false;
                    line++;
                    rowLine = line;
                }
                default -> {
                    if (afterQuote) {
                        throw new MalformedListException("line " + line + ": text after a closing quote");
                    }
                    field.append(c);
                    fieldStarted = true;
                }
            }
        }
        if (quoted) {
            throw new MalformedListException("line " + rowLine + ": unterminated quoted field");
        }
        if (fieldStarted || !fields.isEmpty()) {
            fields.add(field.toString());
            rows.add(new Row(rowLine, List.copyOf(fields)));
        }
        return rows;
    }
}
