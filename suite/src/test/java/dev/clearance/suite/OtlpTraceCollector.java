package dev.clearance.suite;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnknownFieldSet;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPInputStream;

/**
 * Stands in for an OpenTelemetry collector (outside the product): accepts OTLP/HTTP protobuf
 * trace exports on any path and keeps every span. The payload is read with protobuf's
 * field-number view of the OTLP messages (opentelemetry-proto's trace.proto and
 * trace_service.proto), so the test needs no generated OTLP classes.
 */
final class OtlpTraceCollector implements AutoCloseable {

    /** One exported span, flattened: ids in lower-case hex, attribute values as text. */
    record Span(String service, String traceId, String spanId, String parentSpanId, String name, int kind,
                Map<String, String> attributes) {
        static final int KIND_SERVER = 2;
        static final int KIND_CLIENT = 3;
    }

    private final HttpServer server;
    private final List<Span> spans = new CopyOnWriteArrayList<>();
    private final List<String> problems = new CopyOnWriteArrayList<>();

    OtlpTraceCollector() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::export);
        server.start();
    }

    /** The base URL to give an exporter as its OTLP endpoint. */
    String endpoint() {
        return "http://localhost:" + server.getAddress().getPort();
    }

    List<Span> spans() {
        return List.copyOf(spans);
    }

    /** Exports this stand-in could not read (a non-empty list means the exporters spoke something else). */
    List<String> problems() {
        return List.copyOf(problems);
    }

    private void export(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                String encoding = exchange.getRequestHeaders().getFirst("Content-Encoding");
                body = "gzip".equalsIgnoreCase(encoding) ? new GZIPInputStream(in).readAllBytes() : in.readAllBytes();
            }
            try {
                spans.addAll(parse(body));
                exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
                exchange.sendResponseHeaders(200, -1);
            } catch (InvalidProtocolBufferException e) {
                problems.add(exchange.getRequestURI() + ": " + e.getMessage());
                exchange.sendResponseHeaders(400, -1);
            }
        }
    }

    // ExportTraceServiceRequest { repeated ResourceSpans resource_spans = 1; }
    // ResourceSpans { Resource resource = 1; repeated ScopeSpans scope_spans = 2; }
    // Resource { repeated KeyValue attributes = 1; }   ScopeSpans { repeated Span spans = 2; }
    // Span { bytes trace_id = 1; bytes span_id = 2; bytes parent_span_id = 4; string name = 5;
    //        SpanKind kind = 6; repeated KeyValue attributes = 9; }
    static List<Span> parse(byte[] body) throws InvalidProtocolBufferException {
        List<Span> out = new ArrayList<>();
        for (ByteString resourceSpans : UnknownFieldSet.parseFrom(body).getField(1).getLengthDelimitedList()) {
            UnknownFieldSet rs = UnknownFieldSet.parseFrom(resourceSpans);
            String service = "";
            for (ByteString resource : rs.getField(1).getLengthDelimitedList()) {
                service = attributes(UnknownFieldSet.parseFrom(resource), 1).getOrDefault("service.name", "");
            }
            for (ByteString scopeSpans : rs.getField(2).getLengthDelimitedList()) {
                for (ByteString encoded : UnknownFieldSet.parseFrom(scopeSpans).getField(2).getLengthDelimitedList()) {
                    UnknownFieldSet span = UnknownFieldSet.parseFrom(encoded);
                    List<Long> kind = span.getField(6).getVarintList();
                    out.add(new Span(service, hex(span, 1), hex(span, 2), hex(span, 4), text(span, 5),
                            kind.isEmpty() ? 0 : kind.get(0).intValue(), attributes(span, 9)));
                }
            }
        }
        return out;
    }

    // KeyValue { string key = 1; AnyValue value = 2; }
    // AnyValue { string string_value = 1; bool bool_value = 2; int64 int_value = 3; double double_value = 4; }
    private static Map<String, String> attributes(UnknownFieldSet message, int field) throws InvalidProtocolBufferException {
        Map<String, String> out = new LinkedHashMap<>();
        for (ByteString encoded : message.getField(field).getLengthDelimitedList()) {
            UnknownFieldSet kv = UnknownFieldSet.parseFrom(encoded);
            String value = "";
            for (ByteString any : kv.getField(2).getLengthDelimitedList()) {
                UnknownFieldSet v = UnknownFieldSet.parseFrom(any);
                if (!v.getField(1).getLengthDelimitedList().isEmpty()) {
                    value = v.getField(1).getLengthDelimitedList().get(0).toStringUtf8();
                } else if (!v.getField(2).getVarintList().isEmpty()) {
                    value = Boolean.toString(v.getField(2).getVarintList().get(0) != 0);
                } else if (!v.getField(3).getVarintList().isEmpty()) {
                    value = Long.toString(v.getField(3).getVarintList().get(0));
                } else if (!v.getField(4).getFixed64List().isEmpty()) {
                    value = Double.toString(Double.longBitsToDouble(v.getField(4).getFixed64List().get(0)));
                }
            }
            out.put(text(kv, 1), value);
        }
        return out;
    }

    private static String text(UnknownFieldSet message, int field) {
        List<ByteString> values = message.getField(field).getLengthDelimitedList();
        return values.isEmpty() ? "" : values.get(0).toStringUtf8();
    }

    private static String hex(UnknownFieldSet message, int field) {
        List<ByteString> values = message.getField(field).getLengthDelimitedList();
        return values.isEmpty() ? "" : HexFormat.of().formatHex(values.get(0).toByteArray());
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
