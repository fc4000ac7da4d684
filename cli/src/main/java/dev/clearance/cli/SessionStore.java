package dev.clearance.cli;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;

/**
 * The session file, {@code $XDG_CONFIG_HOME/clearance/session.json} ({@code ~/.config/clearance/} when unset):
 * owner-only (directory 0700, file 0600) because it holds bearer and refresh tokens. Written to a temporary
 * file created with those permissions and moved into place, so the tokens are never readable by others,
 * not even for a moment.
 */
public final class SessionStore {

    static final String FILE_NAME = "session.json";
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    private final Path directory;

    public SessionStore(Path directory) {
        this.directory = directory;
    }

    /** The directory from the environment: {@code XDG_CONFIG_HOME}, else {@code $HOME/.config}. */
    public static SessionStore fromEnvironment(Map<String, String> env) {
        String xdg = env.get("XDG_CONFIG_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg)
                : Path.of(env.getOrDefault("HOME", System.getProperty("user.home")), ".config");
        return new SessionStore(base.resolve("clearance"));
    }

    public Path file() {
        return directory.resolve(FILE_NAME);
    }

    public Optional<Session> load() {
        Path file = file();
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(file.toFile(), Session.class));
        } catch (IOException e) {
            throw new CliException(ExitCodes.NOT_LOGGED_IN, "cannot read " + file + " (" + e.getMessage()
                    + "); run clearancectl login again");
        }
    }

    public void save(Session session) {
        try {
            if (POSIX) {
                Files.createDirectories(directory,
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } else {
                Files.createDirectories(directory);
            }
            Path temporary = POSIX
                    ? Files.createTempFile(directory, ".session", ".tmp",
                            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
                    : Files.createTempFile(directory, ".session", ".tmp");
            try {
                Files.write(temporary, JSON.writeValueAsBytes(session));
                try {
                    Files.move(temporary, file(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temporary, file(), StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(temporary);
            }
        } catch (IOException e) {
            throw new CliException(ExitCodes.USAGE, "cannot write " + file() + ": " + e.getMessage());
        }
    }

    /** @return whether a session existed */
    public boolean delete() {
        try {
            return Files.deleteIfExists(file());
        } catch (IOException e) {
            throw new CliException(ExitCodes.USAGE, "cannot delete " + file() + ": " + e.getMessage());
        }
    }
}
