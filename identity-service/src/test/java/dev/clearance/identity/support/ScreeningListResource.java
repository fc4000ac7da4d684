package dev.clearance.identity.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;

/**
 * Gives the service a list file of its own that tests may rewrite and reload: a copy of
 * {@code screening/consolidated-test.csv} in a fresh temporary directory.
 */
public class ScreeningListResource implements QuarkusTestResourceLifecycleManager {

    public static final String BASE_LIST = "/screening/consolidated-test.csv";

    private Path dir;

    @Override
    public Map<String, String> start() {
        try {
            dir = Files.createTempDirectory("clearance-screening");
            Path file = dir.resolve("consolidated.csv");
            try (InputStream in = ScreeningListResource.class.getResourceAsStream(BASE_LIST)) {
                Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            }
            return Map.of("clearance.screening.list-path", file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.deleteIfExists(f);
            }
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            // a temporary directory; nothing depends on its removal
        }
    }
}
