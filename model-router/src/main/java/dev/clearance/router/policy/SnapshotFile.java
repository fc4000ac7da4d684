package dev.clearance.router.policy;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.clearance.entitlement.v1.PolicySnapshot;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The last applied snapshot on local disk (its protobuf bytes, as streamed), so a router that
 * restarts while the control plane is down can still serve, stale, instead of refusing
 * everything. Written atomically: a temporary file in the same directory, flushed, then moved
 * over the old one, so a crash never leaves half a snapshot. A failure to write is logged and
 * reported in health; it never stops the router from serving.
 */
@Singleton
public class SnapshotFile {

    private static final Logger LOG = Logger.getLogger(SnapshotFile.class);

    /** {@code clearance.router.snapshot-path} value that turns persistence off. */
    public static final String NONE = "none";

    private final Path path;
    private volatile String lastError;
    private volatile long writtenRevision;
    private volatile Instant writtenAt;

    @Inject
    public SnapshotFile(@ConfigProperty(name = "clearance.router.snapshot-path") Optional<String> configured,
                        @ConfigProperty(name = "clearance.router.id") Optional<String> routerId) {
        this(resolve(configured, routerId));
    }

    /** @param path where to keep the snapshot, or null for nowhere */
    public SnapshotFile(Path path) {
        this.path = path;
    }

    /**
     * {@code none} disables it; unset means {@code <java.io.tmpdir>/clearance-router/<id>/policy-snapshot.pb}
     * with the configured router id, or the host name (not the pid, which changes on restart).
     */
    static Path resolve(Optional<String> configured, Optional<String> routerId) {
        String value = configured.map(String::strip).orElse("");
        if (value.equalsIgnoreCase(NONE)) {
            return null;
        }
        if (!value.isEmpty()) {
            return Path.of(value);
        }
        String name = routerId.map(String::strip).filter(s -> !s.isEmpty()).orElseGet(SnapshotFile::hostName)
                .replaceAll("[^A-Za-z0-9._-]", "_");
        return Path.of(System.getProperty("java.io.tmpdir"), "clearance-router", name, "policy-snapshot.pb");
    }

    /** Where the snapshot is kept, or empty when persistence is off. */
    public Optional<Path> path() {
        return Optional.ofNullable(path);
    }

    /** The snapshot last written, if there is a readable one. */
    public Optional<PolicySnapshot> read() {
        if (path == null || !Files.isRegularFile(path)) {
            return Optional.empty();
        }
        try {
            return Optional.of(PolicySnapshot.parseFrom(Files.readAllBytes(path)));
        } catch (InvalidProtocolBufferException e) {
            LOG.warnf("the policy snapshot file %s is not a snapshot; ignoring it", path);
            return Optional.empty();
        } catch (IOException e) {
            LOG.warnf("could not read the policy snapshot file %s: %s", path, e.getMessage());
            return Optional.empty();
        }
    }

    /** Replaces the file with {@code snapshot}; never throws (a router that cannot persist still serves). */
    public boolean write(PolicySnapshot snapshot) {
        if (path == null) {
            return false;
        }
        Path temp = null;
        try {
            Path dir = Objects.requireNonNullElse(path.toAbsolutePath().getParent(), Path.of("."));
            Files.createDirectories(dir);
            temp = Files.createTempFile(dir, ".policy-snapshot-", ".tmp");
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE);
                 OutputStream out = java.nio.channels.Channels.newOutputStream(channel)) {
                snapshot.writeTo(out);
                out.flush();
                channel.force(true);
            }
            try {
                Files.move(temp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, path, StandardCopyOption.REPLACE_EXISTING);
            }
            temp = null;
            if (lastError != null) {
                LOG.infof("policy snapshot persisted to %s again", path);
            }
            lastError = null;
            writtenRevision = snapshot.getRevision();
            writtenAt = Instant.now();
            return true;
        } catch (IOException | RuntimeException e) {
            String error = e.getClass().getSimpleName() + ": " + e.getMessage();
            if (!error.equals(lastError)) {
                LOG.warnf("could not persist policy revision %d to %s (%s); serving on, but a restart while the "
                        + "control plane is down will find no snapshot", snapshot.getRevision(), path, error);
            }
            lastError = error;
            return false;
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // best effort: a stray temp file is harmless
                }
            }
        }
    }

    /** The last write's error, or null when the last write succeeded (or none was tried). */
    public String lastError() {
        return lastError;
    }

    public long writtenRevision() {
        return writtenRevision;
    }

    public Instant writtenAt() {
        return writtenAt;
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "router";
        }
    }
}
