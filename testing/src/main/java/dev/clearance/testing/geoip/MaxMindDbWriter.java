package dev.clearance.testing.geoip;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes MaxMind DB files (format 2.0, https://maxmind.github.io/MaxMind-DB/) for tests: no writer
 * is published for Java, and MaxMind's test databases have no subdivisions. It writes an IPv6 tree
 * (IPv4 networks at {@code ::a.b.c.d/96+n}, where readers look IPv4 up), the 16-byte separator, a
 * data section without pointers, and the metadata after the {@code \xAB\xCD\xEFMaxMind.com} marker.
 * The record size is the smallest of 24, 28 and 32 bits that holds every record value.
 *
 * <p>Values map to MaxMind types by their Java class: {@link String} utf8_string, {@link Map} map
 * (string keys), {@link List} array, {@link Boolean} boolean, {@link Double} double, {@link Integer}
 * uint16, {@link Long} uint32, {@link BigInteger} uint64. (GeoIP2 types {@code geoname_id} as uint32
 * and {@code accuracy_radius} as uint16, and the readers decode each into a fixed Java type, so the
 * writer must not pick a narrower one.) Networks must not overlap.
 */
public final class MaxMindDbWriter {

    private static final byte[] METADATA_MARKER = {(byte) 0xAB, (byte) 0xCD, (byte) 0xEF,
            'M', 'a', 'x', 'M', 'i', 'n', 'd', '.', 'c', 'o', 'm'};
    private static final int DATA_SECTION_SEPARATOR = 16;

    private final String databaseType;
    private final String description;
    private final long buildEpoch;
    private final Node root = new Node();

    /** A tree node; each child is null (no data), a {@link Node} or a data {@link Map}. */
    private static final class Node {
        final Object[] children = new Object[2];
    }

    /**
     * @param databaseType the metadata's {@code database_type} (e.g. {@code GeoIP2-City}: readers choose
     *                     the lookups a file supports by it)
     * @param buildEpoch   seconds since the epoch, recorded as {@code build_epoch}
     */
    public MaxMindDbWriter(String databaseType, String description, long buildEpoch) {
        this.databaseType = databaseType;
        this.description = description;
        this.buildEpoch = buildEpoch;
    }

    /** Maps every address of {@code cidr} ({@code 203.0.113.0/26}, {@code 2001:db8::/48}) to {@code record}. */
    public MaxMindDbWriter insert(String cidr, Map<String, ?> record) {
        int slash = cidr.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("not a network: " + cidr);
        }
        byte[] address = parse(cidr.substring(0, slash));
        int prefix = Integer.parseInt(cidr.substring(slash + 1));
        int bits = prefix;
        if (address.length == 4) {
            byte[] v6 = new byte[16]; // ::a.b.c.d, the IPv4 subtree of an IPv6 database
            System.arraycopy(address, 0, v6, 12, 4);
            address = v6;
            bits = 96 + prefix;
        }
        if (prefix < 1 || bits > 128) {
            throw new IllegalArgumentException("bad prefix length: " + cidr);
        }
        Node node = root;
        for (int i = 0; i < bits; i++) {
            int bit = (address[i / 8] >> (7 - i % 8)) & 1;
            Object child = node.children[bit];
            if (i == bits - 1) {
                if (child != null) {
                    throw new IllegalArgumentException(cidr + " overlaps a network inserted before");
                }
                node.children[bit] = record;
            } else if (child == null) {
                Node next = new Node();
                node.children[bit] = next;
                node = next;
            } else if (child instanceof Node next) {
                node = next;
            } else {
                throw new IllegalArgumentException(cidr + " lies inside a network inserted before");
            }
        }
        return this;
    }

    /** The database file's bytes. */
    public byte[] toBytes() {
        // Number the nodes breadth-first from the root (node 0).
        List<Node> nodes = new ArrayList<>();
        Map<Node, Integer> numbers = new IdentityHashMap<>();
        ArrayDeque<Node> queue = new ArrayDeque<>();
        queue.add(root);
        while (!queue.isEmpty()) {
            Node n = queue.poll();
            numbers.put(n, nodes.size());
            nodes.add(n);
            for (Object child : n.children) {
                if (child instanceof Node c) {
                    queue.add(c);
                }
            }
        }
        long nodeCount = nodes.size();

        // The data section: each distinct record once, at its offset from the section's start.
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        Map<Object, Integer> offsets = new IdentityHashMap<>();
        for (Node n : nodes) {
            for (Object child : n.children) {
                if (child != null && !(child instanceof Node) && !offsets.containsKey(child)) {
                    offsets.put(child, data.size());
                    encode(child, data);
                }
            }
        }

        long maxRecord = nodeCount + DATA_SECTION_SEPARATOR + data.size();
        int recordSize = maxRecord < (1L << 24) ? 24 : maxRecord < (1L << 28) ? 28 : 32;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Node n : nodes) {
            long left = recordValue(n.children[0], nodeCount, numbers, offsets);
            long right = recordValue(n.children[1], nodeCount, numbers, offsets);
            writeNode(out, recordSize, left, right);
        }
        out.writeBytes(new byte[DATA_SECTION_SEPARATOR]);
        out.writeBytes(data.toByteArray());
        out.writeBytes(METADATA_MARKER);
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("binary_format_major_version", 2);
        metadata.put("binary_format_minor_version", 0);
        metadata.put("build_epoch", BigInteger.valueOf(buildEpoch));
        metadata.put("database_type", databaseType);
        metadata.put("description", Map.of("en", description));
        metadata.put("ip_version", 6);
        metadata.put("languages", List.of("en"));
        metadata.put("node_count", nodeCount);
        metadata.put("record_size", recordSize);
        encode(metadata, out);
        return out.toByteArray();
    }

    /** Writes the database to {@code file}. */
    public Path write(Path file) {
        try {
            return Files.write(file, toBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // node number, node_count for "no data", or node_count + 16 + data offset
    private static long recordValue(Object child, long nodeCount, Map<Node, Integer> numbers, Map<Object, Integer> offsets) {
        if (child == null) {
            return nodeCount;
        }
        if (child instanceof Node n) {
            return numbers.get(n);
        }
        return nodeCount + DATA_SECTION_SEPARATOR + offsets.get(child);
    }

    private static void writeNode(ByteArrayOutputStream out, int recordSize, long left, long right) {
        switch (recordSize) {
            case 24 -> {
                writeBigEndian(out, left, 3);
                writeBigEndian(out, right, 3);
            }
            case 28 -> {
                // the middle byte holds the high nibble of the left record, then of the right one
                writeBigEndian(out, left & 0xFFFFFF, 3);
                out.write((int) (((left >> 24) & 0x0F) << 4 | ((right >> 24) & 0x0F)));
                writeBigEndian(out, right & 0xFFFFFF, 3);
            }
            default -> {
                writeBigEndian(out, left, 4);
                writeBigEndian(out, right, 4);
            }
        }
    }

    private static void writeBigEndian(ByteArrayOutputStream out, long value, int bytes) {
        for (int i = bytes - 1; i >= 0; i--) {
            out.write((int) (value >> (8 * i)) & 0xFF);
        }
    }

    // ---- data section types ------------------------------------------------------------------------

    private static final int UTF8_STRING = 2;
    private static final int DOUBLE = 3;
    private static final int UINT16 = 5;
    private static final int UINT32 = 6;
    private static final int MAP = 7;
    private static final int UINT64 = 9;
    private static final int ARRAY = 11;
    private static final int BOOLEAN = 14;

    private static void encode(Object value, ByteArrayOutputStream out) {
        if (value instanceof String s) {
            byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
            control(out, UTF8_STRING, utf8.length);
            out.writeBytes(utf8);
        } else if (value instanceof Map<?, ?> map) {
            control(out, MAP, map.size());
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!(e.getKey() instanceof String)) {
                    throw new IllegalArgumentException("map keys are strings: " + e.getKey());
                }
                encode(e.getKey(), out);
                encode(e.getValue(), out);
            }
        } else if (value instanceof List<?> list) {
            control(out, ARRAY, list.size());
            for (Object element : list) {
                encode(element, out);
            }
        } else if (value instanceof Boolean b) {
            control(out, BOOLEAN, b ? 1 : 0); // the size is the value
        } else if (value instanceof Double d) {
            control(out, DOUBLE, 8);
            writeBigEndian(out, Double.doubleToLongBits(d), 8);
        } else if (value instanceof Integer i) {
            unsigned(out, UINT16, BigInteger.valueOf(i), 2);
        } else if (value instanceof Long l) {
            unsigned(out, UINT32, BigInteger.valueOf(l), 4);
        } else if (value instanceof BigInteger big) {
            unsigned(out, UINT64, big, 8);
        } else {
            throw new IllegalArgumentException("no MaxMind DB type for " + (value == null ? "null" : value.getClass()));
        }
    }

    /** Unsigned integers are big-endian in as few bytes as hold them (none for zero). */
    private static void unsigned(ByteArrayOutputStream out, int type, BigInteger value, int maxBytes) {
        if (value.signum() < 0 || value.bitLength() > maxBytes * 8) {
            throw new IllegalArgumentException(value + " does not fit type " + type);
        }
        byte[] bytes = value.toByteArray();
        int skip = 0;
        while (skip < bytes.length && bytes[skip] == 0) {
            skip++; // the sign byte, and zero altogether
        }
        control(out, type, bytes.length - skip);
        out.write(bytes, skip, bytes.length - skip);
    }

    /**
     * The control byte: type in the top 3 bits (0 = extended: the next byte is type - 7), size in the
     * low 5 bits; sizes of 29 and more continue in 1-3 bytes after it (and after the extended type).
     */
    private static void control(ByteArrayOutputStream out, int type, int size) {
        int sizeBits;
        byte[] sizeBytes;
        if (size < 29) {
            sizeBits = size;
            sizeBytes = new byte[0];
        } else if (size < 29 + 256) {
            sizeBits = 29;
            sizeBytes = new byte[] {(byte) (size - 29)};
        } else if (size < 285 + 65536) {
            sizeBits = 30;
            int rest = size - 285;
            sizeBytes = new byte[] {(byte) (rest >> 8), (byte) rest};
        } else {
            sizeBits = 31;
            int rest = size - 65821;
            sizeBytes = new byte[] {(byte) (rest >> 16), (byte) (rest >> 8), (byte) rest};
        }
        if (type <= 7) {
            out.write(type << 5 | sizeBits);
        } else {
            out.write(sizeBits);
            out.write(type - 7);
        }
        out.writeBytes(sizeBytes);
    }

    private static byte[] parse(String literal) {
        // only literals: a name here would be a mistake in the test source, not a lookup
        if (!literal.matches("[0-9a-fA-F:.]+")) {
            throw new IllegalArgumentException("not an IP address literal: " + literal);
        }
        try {
            return InetAddress.getByName(literal).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address literal: " + literal, e);
        }
    }
}
