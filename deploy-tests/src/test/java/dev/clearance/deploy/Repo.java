package dev.clearance.deploy;

import java.nio.file.Files;
import java.nio.file.Path;

/** Paths in the repository: the root comes from the build ({@code clearance.root}), else the working directory. */
final class Repo {

    private Repo() {
    }

    static Path root() {
        String configured = System.getProperty("clearance.root");
        Path start = configured != null ? Path.of(configured) : Path.of("").toAbsolutePath();
        for (Path p = start.toAbsolutePath().normalize(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("deploy/k8s")) && Files.isRegularFile(p.resolve("pom.xml"))) {
                return p;
            }
        }
        throw new IllegalStateException("no repository root (with deploy/k8s) above " + start);
    }

    static Path overlay(String name) {
        return root().resolve("deploy/k8s/overlays").resolve(name);
    }

    /** A deliberately broken kustomization under src/test/resources/broken (read in place: they name the real overlays by relative path). */
    static Path broken(String name) {
        return root().resolve("deploy-tests/src/test/resources/broken").resolve(name);
    }
}
