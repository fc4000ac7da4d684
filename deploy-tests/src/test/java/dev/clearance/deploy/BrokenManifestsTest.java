package dev.clearance.deploy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every check can fail: each directory under src/test/resources/broken is a real overlay with
 * one deliberate mistake (a kustomize patch), and the check named here must report it. The
 * same check passes on the unbroken overlay ({@link OverlaysTest}).
 */
class BrokenManifestsTest {

    /** case directory, check that must fail, text its report must contain. */
    static final String CASES = """
            schema-unknown-field,           schema,                livenessProbee
            schema-wrong-type,              schema,                expected an integer
            schema-missing-required,        schema,                maxReplicas
            schema-bad-quantity,            schema,                not a quantity
            selector-workload,              selectors,             does not match its pod labels
            selector-service,               selectors,             Service/entitlement-service: selector
            selector-pdb,                   selectors,             PodDisruptionBudget/identity-service: selector selects 0
            selector-network-policy,        selectors,             NetworkPolicy/postgres: podSelector
            selector-hpa,                   selectors,             scaleTargetRef Deployment/router does not exist
            selector-anti-affinity,         selectors,             podAntiAffinity labelSelector
            references-service-account,     references,            ServiceAccount identity does not exist
            ports-container,                ports,                 container port grpc is 9200 (the service listens on 9100)
            ports-environment,              ports,                 container port http is 8100 (the service listens on 8080)
            ports-service-target,           ports,                 targets grcp
            ports-probe,                    ports,                 readinessProbe uses port grpc
            probes-missing,                 probes,                container identity-service: no livenessProbe
            probes-path,                    probes,                readinessProbe path is /q/health/live
            probes-missing-third-party,     probes,                container postgres: no startupProbe
            resources-missing-limits,       resources,             no cpu limit
            resources-request-above-limit,  resources,             memory request 2Gi is above the limit
            images-latest,                  images,                uses the tag latest
            images-untagged,                images,                has no tag
            security-root,                  security,              runAsNonRoot is not true
            security-user-zero,             security,              runAsUser is 0
            security-writable-root,         security,              container keycloak: readOnlyRootFilesystem is not true
            security-no-tmp,                security,              no emptyDir mounted at /tmp
            secrets-committed,              secrets,               a Secret with data is committed
            secrets-literal-env,            secrets,               QUARKUS_DATASOURCE_PASSWORD has a literal value
            secrets-in-configmap,           secrets,               looks like a credential
            secrets-undocumented,           secrets-documented,    Secret clearance-model-backend key api-key
            autoscaling-replicas,           autoscaling,           sets replicas although
            service-configuration-port,     service-configuration, does not lead to the gRPC port
            service-configuration-host,     service-configuration, QUARKUS_GRPC_CLIENTS_IDENTITY_HOST=identity is no Service
            service-configuration-database, service-configuration, must name the deployment's PostgreSQL
            network-identity-open,          network,               identity-service gRPC from another namespace: allowed
            network-allow-all,              network,               PostgreSQL (postgres:5432) is reachable from model-router
            network-missing-egress,         network,               is not reachable from entitlement-service
            network-no-admin,               network,               entitlement-service gRPC from clearance-admin: denied
            """;

    @ParameterizedTest(name = "{0} fails {1}")
    @CsvSource(textBlock = CASES)
    void theCheckReportsTheMistake(String brokenCase, String check, String expected) {
        Manifests broken = Overlays.build(Repo.broken(brokenCase));
        List<String> problems = Overlays.CHECKS.get(check).apply(broken);
        assertTrue(problems.stream().anyMatch(p -> p.contains(expected)),
                () -> brokenCase + ": " + check + " should report \"" + expected + "\", reported:\n  " + String.join("\n  ", problems));
    }

    @Test
    void aKustomizationThatDoesNotBuildFails() {
        Kustomize.BuildFailed failed = assertThrows(Kustomize.BuildFailed.class, () -> Kustomize.buildYaml(Repo.broken("build-fails")));
        assertTrue(failed.getMessage().contains("no-such-patch.yaml"), failed.getMessage());
    }

    @Test
    void everyCheckHasABrokenCaseAndEveryBrokenCaseIsTested() throws IOException {
        Set<String> checked = new TreeSet<>();
        Set<String> listed = new TreeSet<>(Set.of("build-fails"));
        CASES.lines().filter(l -> !l.isBlank()).forEach(l -> {
            String[] fields = l.split(",");
            listed.add(fields[0].trim());
            checked.add(fields[1].trim());
        });
        assertEquals(new TreeSet<>(Overlays.CHECKS.keySet()), checked, "checks without a broken case");
        Set<String> directories;
        try (Stream<Path> dirs = Files.list(Repo.root().resolve("deploy-tests/src/test/resources/broken"))) {
            directories = dirs.filter(Files::isDirectory).map(d -> d.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
        }
        assertEquals(directories, listed, "broken cases on disk vs. in CASES");
    }
}
