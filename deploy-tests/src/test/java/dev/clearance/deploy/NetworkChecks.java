package dev.clearance.deploy;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The NetworkPolicy model, checked by evaluating the policies for every pair that matters:
 * <ul>
 *   <li>identity-service's gRPC port: only the router and entitlement-service (of the pods in the
 *       namespace), and pods of the namespace clearance-admin;</li>
 *   <li>entitlement-service's gRPC port: only the router (and clearance-admin);</li>
 *   <li>PostgreSQL (wherever identity-service's configuration says it is): only identity-service
 *       and entitlement-service;</li>
 *   <li>and what must keep working: clients reach the router, identity-service reaches Keycloak's
 *       keys, the services resolve names.</li>
 * </ul>
 */
final class NetworkChecks {

    static final String ADMIN_NAMESPACE = "clearance-admin";

    private NetworkChecks() {
    }

    record Target(NetworkModel.Endpoint endpoint, int port) {
    }

    static List<String> model(Manifests m) {
        List<String> errors = new ArrayList<>();
        NetworkModel net = new NetworkModel(m);
        Optional<NetworkModel.Endpoint> router = net.pod("model-router");
        Optional<NetworkModel.Endpoint> identity = net.pod("identity-service");
        Optional<NetworkModel.Endpoint> entitlement = net.pod("entitlement-service");
        if (router.isEmpty() || identity.isEmpty() || entitlement.isEmpty()) {
            errors.add("the three services' workloads are not all there");
            return errors;
        }
        NetworkModel.Endpoint admin = NetworkModel.podInNamespace(ADMIN_NAMESPACE, Map.of("app", "clearancectl"));
        NetworkModel.Endpoint elsewhere = NetworkModel.podInNamespace("some-other-namespace", Map.of("app", "anything"));
        NetworkModel.Endpoint internet = NetworkModel.outside("a host outside the cluster");

        int identityGrpc = grpc(identity.get());
        int entitlementGrpc = grpc(entitlement.get());
        int routerGrpc = grpc(router.get());

        only(errors, net, new Target(identity.get(), identityGrpc), "identity-service gRPC",
                Set.of("model-router", "entitlement-service"));
        only(errors, net, new Target(entitlement.get(), entitlementGrpc), "entitlement-service gRPC",
                Set.of("model-router"));
        for (Target t : List.of(new Target(identity.get(), identityGrpc), new Target(entitlement.get(), entitlementGrpc))) {
            expect(errors, net, admin, t, true, t.endpoint() + " gRPC from " + ADMIN_NAMESPACE);
            expect(errors, net, elsewhere, t, false, t.endpoint() + " gRPC from another namespace");
        }
        expect(errors, net, router.get(), new Target(identity.get(), identityGrpc), true, "router → identity-service (ResolveCaller)");
        expect(errors, net, router.get(), new Target(entitlement.get(), entitlementGrpc), true, "router → entitlement-service (WatchPolicy)");
        expect(errors, net, entitlement.get(), new Target(identity.get(), identityGrpc), true, "entitlement-service → identity-service (Check)");
        expect(errors, net, elsewhere, new Target(router.get(), routerGrpc), true, "clients in other namespaces → router");
        expect(errors, net, internet, new Target(router.get(), routerGrpc), true, "clients outside the cluster → router");

        Optional<Target> database = target(m, net, Env.of(m, container(identity.get())).values().get("QUARKUS_DATASOURCE_JDBC_URL"));
        if (database.isEmpty()) {
            errors.add("identity-service has no QUARKUS_DATASOURCE_JDBC_URL to find PostgreSQL by");
        } else {
            only(errors, net, database.get(), "PostgreSQL", Set.of("identity-service", "entitlement-service"));
            expect(errors, net, elsewhere, database.get(), database.get().endpoint().external(), "PostgreSQL from another namespace");
        }
        Map<String, String> identityEnv = Env.of(m, container(identity.get())).values();
        String keys = identityEnv.getOrDefault("CLEARANCE_OIDC_JWKS_URL", identityEnv.get("CLEARANCE_OIDC_ISSUER"));
        Optional<Target> keycloak = target(m, net, keys);
        if (keycloak.isEmpty()) {
            errors.add("identity-service has no CLEARANCE_OIDC_ISSUER to find Keycloak by");
        } else {
            expect(errors, net, identity.get(), keycloak.get(), true, "identity-service → Keycloak (realm keys)");
        }
        NetworkModel.Endpoint dns = NetworkModel.podInNamespace("kube-system", Map.of("k8s-app", "kube-dns"));
        for (NetworkModel.Endpoint service : List.of(router.get(), identity.get(), entitlement.get())) {
            expect(errors, net, service, new Target(dns, 53), true, service + " → DNS");
        }
        return errors;
    }

    /** Of all pods of the overlay, exactly the named ones reach the target. */
    private static void only(List<String> errors, NetworkModel net, Target target, String what, Set<String> allowed) {
        for (NetworkModel.Endpoint from : net.pods()) {
            if (from.workload() == target.endpoint().workload() && target.endpoint().workload() != null) {
                continue;
            }
            boolean may = net.allowed(from, target.endpoint(), target.port());
            boolean should = allowed.contains(from.description());
            if (may && !should) {
                errors.add(what + " (" + target.endpoint() + ":" + target.port() + ") is reachable from " + from + "; only " + allowed + " may");
            } else if (!may && should) {
                errors.add(what + " (" + target.endpoint() + ":" + target.port() + ") is not reachable from " + from);
            }
        }
    }

    private static void expect(List<String> errors, NetworkModel net, NetworkModel.Endpoint from, Target to, boolean allowed, String what) {
        boolean actual = net.allowed(from, to.endpoint(), to.port());
        if (actual != allowed) {
            errors.add(what + ": " + (allowed ? "denied" : "allowed") + " by the NetworkPolicies, should be " + (allowed ? "allowed" : "denied")
                    + " (" + from + " → " + to.endpoint() + ":" + to.port() + ")");
        }
    }

    private static int grpc(NetworkModel.Endpoint e) {
        return e.workload().containerPort("grpc").orElseThrow(() -> new IllegalStateException(e + " has no grpc port"));
    }

    private static Map<String, Object> container(NetworkModel.Endpoint e) {
        return e.workload().container(e.workload().appName()).orElse(Map.of());
    }

    /**
     * Where a URL of the configuration leads: a Service of the overlay (its pods, on the target
     * port) or a host outside the cluster.
     */
    static Optional<Target> target(Manifests m, NetworkModel net, String url) {
        if (url == null) {
            return Optional.empty();
        }
        URI uri = URI.create(url.startsWith("jdbc:") ? url.substring(5) : url);
        String host = uri.getHost();
        int port = uri.getPort() > 0 ? uri.getPort()
                : "https".equals(uri.getScheme()) ? 443 : "http".equals(uri.getScheme()) ? 80 : 5432;
        Optional<K8sObject> service = m.find("Service", host.split("\\.")[0]);
        if (service.isEmpty()) {
            return Optional.of(new Target(NetworkModel.outside(host + " (outside the cluster)"), port));
        }
        Map<String, String> selector = Obj.labels(service.get().at("spec", "selector"));
        for (Object p : Obj.listAt(service.get().body(), "spec", "ports")) {
            if (Obj.at(p, "port") instanceof Number n && n.intValue() == port) {
                Object targetPort = Obj.at(p, "targetPort") != null ? Obj.at(p, "targetPort") : n;
                for (Manifests.Workload w : m.workloads()) {
                    if (Selectors.matchesPlain(selector, w.podLabels())) {
                        Optional<Integer> resolved = w.containerPort(targetPort);
                        if (resolved.isPresent()) {
                            return Optional.of(new Target(net.pod(w), resolved.get()));
                        }
                    }
                }
            }
        }
        return Optional.empty();
    }
}
