package dev.clearance.deploy;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Builds a kustomization the way {@code kubectl apply -k} would: {@code kubectl kustomize DIR}
 * (kubectl carries kustomize). The engine is, in this order: the program named by
 * {@code KUSTOMIZE_COMMAND} (e.g. {@code "kustomize build"}), {@code kubectl} on the PATH or in
 * /usr/bin, a standalone {@code kustomize} on the PATH. None found is a failure, not a skip.
 */
final class Kustomize {

    private static final long TIMEOUT_SECONDS = 120;

    private Kustomize() {
    }

    /** Thrown when kustomize refuses a kustomization; the message is its error output. */
    static final class BuildFailed extends RuntimeException {
        BuildFailed(String message) {
            super(message);
        }
    }

    static Manifests build(Path kustomization) {
        return Manifests.parse(buildYaml(kustomization));
    }

    static String buildYaml(Path kustomization) {
        List<String> command = new ArrayList<>(engine());
        command.add(kustomization.toAbsolutePath().normalize().toString());
        try {
            Process process = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
            String out = read(process.getInputStream());
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish in " + TIMEOUT_SECONDS + " s");
            }
            if (process.exitValue() != 0) {
                throw new BuildFailed(String.join(" ", command) + " exited " + process.exitValue() + ": " + err.join().strip());
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("could not run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static List<String> engine() {
        String configured = System.getenv("KUSTOMIZE_COMMAND");
        if (configured != null && !configured.isBlank()) {
            return List.of(configured.trim().split("\\s+"));
        }
        Optional<Path> kubectl = onPath("kubectl").or(() -> executable(Path.of("/usr/bin/kubectl")));
        if (kubectl.isPresent()) {
            return List.of(kubectl.get().toString(), "kustomize");
        }
        Optional<Path> kustomize = onPath("kustomize");
        if (kustomize.isPresent()) {
            return List.of(kustomize.get().toString(), "build");
        }
        throw new IllegalStateException("neither kubectl nor kustomize found (PATH, /usr/bin); "
                + "install kubectl, or set KUSTOMIZE_COMMAND (deploy/README.md, \"Tests\")");
    }

    private static Optional<Path> onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty()) {
                Optional<Path> found = executable(Path.of(dir, program));
                if (found.isPresent()) {
                    return found;
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<Path> executable(Path p) {
        return Files.isRegularFile(p) && Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
    }

    private static String read(java.io.InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
