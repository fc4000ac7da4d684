package dev.clearance.cli;

import dev.clearance.suite.SuiteConfig;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** bin/clearancectl as a user runs it: a process, from the module's compiled classes and dependency list. */
class ScriptTest {

    @Test
    void binClearancectlHelpRunsAsAProcess() throws Exception {
        Path home = SuiteConfig.locateHome();
        ProcessBuilder pb = new ProcessBuilder(home.resolve("bin/clearancectl").toString(), "--help")
                .redirectErrorStream(true);
        // The build under test just compiled the classes; the script must not start a nested Maven build.
        pb.environment().put("CLEARANCE_SKIP_BUILD", "1");
        Process p = pb.start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "bin/clearancectl --help did not end within 120 s");
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), output);
        assertTrue(output.startsWith("Usage: clearancectl"), output);
        assertTrue(output.contains("Exit codes:"), output);
    }
}
