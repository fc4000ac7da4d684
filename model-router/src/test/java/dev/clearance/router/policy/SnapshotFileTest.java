package dev.clearance.router.policy;

import dev.clearance.entitlement.v1.PolicySnapshot;
import dev.clearance.router.TestSnapshots;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SnapshotFileTest {

    @TempDir
    Path dir;

    @Test
    void aWrittenSnapshotReadsBackByteForByte() throws Exception {
        SnapshotFile file = new SnapshotFile(dir.resolve("nested/router-a/policy-snapshot.pb"));
        assertEquals(Optional.empty(), file.read(), "nothing written yet");
        PolicySnapshot first = TestSnapshots.proto(4, false);
        PolicySnapshot second = TestSnapshots.proto(5, true);
        assertTrue(file.write(first));
        assertTrue(file.write(second));
        assertEquals(second, file.read().orElseThrow());
        assertEquals(5, file.writtenRevision());
        assertNull(file.lastError());
        try (Stream<Path> files = Files.list(dir.resolve("nested/router-a"))) {
            assertEquals(1, files.count(), "the temporary file was moved into place, none left behind");
        }
    }

    @Test
    void anUnwritablePathIsReportedNotThrown() throws Exception {
        Path notADirectory = Files.writeString(dir.resolve("plain-file"), "x");
        SnapshotFile file = new SnapshotFile(notADirectory.resolve("policy-snapshot.pb"));
        assertFalse(file.write(TestSnapshots.proto(3, false)));
        assertNotNull(file.lastError());
        assertEquals(0, file.writtenRevision());
        assertEquals(Optional.empty(), file.read());
    }

    @Test
    void aCorruptFileIsIgnored() throws Exception {
        Path path = Files.write(dir.resolve("policy-snapshot.pb"), new byte[] {(byte) 0xff, 0x01, 0x02});
        assertEquals(Optional.empty(), new SnapshotFile(path).read());
    }

    @Test
    void noneTurnsPersistenceOffAndTheDefaultIsStableAcrossRestarts() {
        assertNull(SnapshotFile.resolve(Optional.of("none"), Optional.of("router-a")));
        SnapshotFile off = new SnapshotFile((Path) null);
        assertFalse(off.write(TestSnapshots.proto(1, false)));
        assertEquals(Optional.empty(), off.read());
        assertNull(off.lastError());

        Path byId = SnapshotFile.resolve(Optional.empty(), Optional.of("router-a"));
        assertEquals(Path.of(System.getProperty("java.io.tmpdir"), "clearance-router", "router-a",
                "policy-snapshot.pb"), byId);
        // Without an id the host name is used, never the pid (which changes on every restart).
        Path byHost = SnapshotFile.resolve(Optional.empty(), Optional.empty());
        assertFalse(byHost.toString().contains(Long.toString(ProcessHandle.current().pid()) + "/"));
        assertEquals(Path.of("/var/lib/x.pb"), SnapshotFile.resolve(Optional.of("/var/lib/x.pb"), Optional.empty()));
    }
}
