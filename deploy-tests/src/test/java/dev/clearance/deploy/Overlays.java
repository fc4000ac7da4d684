package dev.clearance.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Stream;

/** The overlays under deploy/k8s/overlays, each built once per test run, and every check by name. */
final class Overlays {

    private static final Map<Path, Manifests> BUILT = new ConcurrentHashMap<>();

    private Overlays() {
    }

    /** Every directory with a kustomization.yaml under deploy/k8s/overlays: a new overlay is tested without being named here. */
    static Stream<String> names() {
        try (Stream<Path> dirs = Files.list(Repo.root().resolve("deploy/k8s/overlays"))) {
            return dirs.filter(d -> Files.isRegularFile(d.resolve("kustomization.yaml")))
                    .map(d -> d.getFileName().toString()).sorted().toList().stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Manifests built(String overlay) {
        return build(Repo.overlay(overlay));
    }

    static Manifests build(Path kustomization) {
        return BUILT.computeIfAbsent(kustomization.toAbsolutePath().normalize(), Kustomize::build);
    }

    static String readme() {
        try {
            return Files.readString(Repo.root().resolve("deploy/README.md"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every check, by the name the tests use. */
    static final Map<String, Function<Manifests, List<String>>> CHECKS = Map.ofEntries(
            Map.entry("schema", SchemaValidator::validate),
            Map.entry("selectors", Checks::selectors),
            Map.entry("references", Checks::references),
            Map.entry("ports", m -> Checks.ports(m, ServiceConfig.load(Repo.root()))),
            Map.entry("probes", Checks::probes),
            Map.entry("resources", Checks::resources),
            Map.entry("images", Checks::images),
            Map.entry("security", Checks::security),
            Map.entry("secrets", Checks::secrets),
            Map.entry("secrets-documented", m -> Checks.secretsDocumented(m, readme())),
            Map.entry("autoscaling", Checks::autoscaling),
            Map.entry("service-configuration", m -> Checks.serviceConfiguration(m, ServiceConfig.load(Repo.root()))),
            Map.entry("network", NetworkChecks::model));
}
