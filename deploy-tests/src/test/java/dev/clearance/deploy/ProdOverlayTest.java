package dev.clearance.deploy;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What makes prod prod: at least three routers, two entitlement replicas, spread, external PostgreSQL and Keycloak. */
class ProdOverlayTest {

    private final Manifests prod = Overlays.built("prod");

    @Test
    void atLeastThreeRoutersOwnedByTheAutoscaler() {
        K8sObject hpa = prod.find("HorizontalPodAutoscaler", "model-router").orElseThrow();
        assertEquals(3, ((Number) hpa.at("spec", "minReplicas")).intValue());
        assertTrue(((Number) hpa.at("spec", "maxReplicas")).intValue() > 3);
        assertNull(prod.find("Deployment", "model-router").orElseThrow().at("spec", "replicas"));
    }

    @Test
    void twoEntitlementAndTwoIdentityReplicas() {
        assertEquals(2, ((Number) prod.find("Deployment", "entitlement-service").orElseThrow().at("spec", "replicas")).intValue());
        assertEquals(2, ((Number) prod.find("Deployment", "identity-service").orElseThrow().at("spec", "replicas")).intValue());
    }

    @Test
    void replicasOfAServiceAvoidSharingANode() {
        for (String service : ServiceConfig.SERVICES) {
            Manifests.Workload w = prod.workload(service).orElseThrow();
            List<Object> terms = Obj.listAt(w.podSpec(), "affinity", "podAntiAffinity", "preferredDuringSchedulingIgnoredDuringExecution");
            assertFalse(terms.isEmpty(), service + " has no pod anti-affinity");
            Object term = Obj.at(terms.get(0), "podAffinityTerm");
            assertEquals("kubernetes.io/hostname", Obj.strAt(term, "topologyKey"));
            assertTrue(Selectors.matches(Obj.mapAt(term, "labelSelector"), w.podLabels()), service + " anti-affinity selects its own pods");
        }
    }

    @Test
    void postgresAndKeycloakAreExternal() {
        assertEquals(List.of("entitlement-service", "identity-service", "model-router"),
                prod.workloads().stream().map(Manifests.Workload::appName).sorted().toList());
        var identity = Env.of(prod, prod.workload("identity-service").orElseThrow().container("identity-service").orElseThrow()).values();
        assertTrue(identity.get("CLEARANCE_OIDC_ISSUER").startsWith("https://"), identity.get("CLEARANCE_OIDC_ISSUER"));
        assertTrue(identity.get("QUARKUS_DATASOURCE_JDBC_URL").contains("sslmode="), "TLS to the database");
    }
}
