package dev.clearance.deploy;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What makes dev dev: one replica each, PostgreSQL and Keycloak in the cluster, the suite's realm. */
class DevOverlayTest {

    private final Manifests dev = Overlays.built("dev");

    static final Path REALM = Path.of("suite/src/main/resources/keycloak/clearance-realm.json");
    static final Path REALM_COPY = Path.of("deploy/k8s/overlays/dev/keycloak/clearance-realm.json");

    @Test
    void oneReplicaOfEachAndNoAutoscaler() {
        for (Manifests.Workload w : dev.workloads()) {
            assertEquals(1, ((Number) w.object().at("spec", "replicas")).intValue(), w + " replicas");
        }
        assertTrue(dev.ofKind("HorizontalPodAutoscaler").isEmpty());
    }

    @Test
    void postgresAndKeycloakRunInTheClusterFromOfficialPinnedImages() {
        Manifests.Workload postgres = dev.workload("postgres").orElseThrow();
        Manifests.Workload keycloak = dev.workload("keycloak").orElseThrow();
        assertEquals("StatefulSet", postgres.kind());
        assertEquals("docker.io/library/postgres:17.6", postgres.containers().get(0).get("image"));
        assertEquals("quay.io/keycloak/keycloak:" + keycloakVersion(), keycloak.containers().get(0).get("image"),
                "dev Keycloak is the version the suite runs (root pom keycloak.version)");
    }

    @Test
    void theRealmIsTheSuitesRealm() throws IOException {
        assertTrue(sameBytes(Repo.root().resolve(REALM), Repo.root().resolve(REALM_COPY)),
                "deploy/k8s/overlays/dev/keycloak/clearance-realm.json differs from " + REALM + ": copy it again");
        K8sObject realm = dev.ofKind("ConfigMap").stream().filter(c -> c.name().startsWith("keycloak-realm-")).findFirst().orElseThrow();
        assertEquals(Files.readString(Repo.root().resolve(REALM)), Obj.strAt(realm.body(), "data", "clearance-realm.json"));
    }

    @Test
    void theRealmComparisonNoticesADifference() throws IOException {
        Path changed = Files.createTempFile("realm", ".json");
        try {
            byte[] original = Files.readAllBytes(Repo.root().resolve(REALM));
            Files.write(changed, new String(original, java.nio.charset.StandardCharsets.UTF_8)
                    .replace("\"clearance-api\"", "\"clearance-apix\"").getBytes(java.nio.charset.StandardCharsets.UTF_8));
            assertFalse(sameBytes(Repo.root().resolve(REALM), changed));
        } finally {
            Files.delete(changed);
        }
    }

    @Test
    void theServicesUseTheInClusterDatabaseAndKeycloak() {
        for (String service : List.of("identity-service", "entitlement-service")) {
            var env = Env.of(dev, dev.workload(service).orElseThrow().container(service).orElseThrow()).values();
            assertEquals("jdbc:postgresql://postgres:5432/clearance", env.get("QUARKUS_DATASOURCE_JDBC_URL"), service);
            assertEquals("postgresql://postgres:5432/clearance", env.get("QUARKUS_DATASOURCE_REACTIVE_URL"), service);
        }
        var identity = Env.of(dev, dev.workload("identity-service").orElseThrow().container("identity-service").orElseThrow()).values();
        var keycloak = Env.of(dev, dev.workload("keycloak").orElseThrow().container("keycloak").orElseThrow()).values();
        assertEquals(keycloak.get("KC_HOSTNAME") + "/realms/clearance", identity.get("CLEARANCE_OIDC_ISSUER"),
                "the issuer identity-service expects is the one Keycloak writes into tokens");
    }

    static boolean sameBytes(Path a, Path b) throws IOException {
        return java.util.Arrays.equals(Files.readAllBytes(a), Files.readAllBytes(b));
    }

    static String keycloakVersion() {
        try {
            String pom = Files.readString(Repo.root().resolve("pom.xml"));
            var m = java.util.regex.Pattern.compile("<keycloak.version>([^<]+)</keycloak.version>").matcher(pom);
            assertTrue(m.find(), "keycloak.version in the root pom");
            return m.group(1);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
