package dev.clearance.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Evaluates the overlay's NetworkPolicies for one connection, as Kubernetes does: a connection
 * from A to B on a port is allowed when B is not isolated for ingress or some policy selecting B
 * allows it from A, and A is not isolated for egress or some policy selecting A allows it to B.
 * Endpoints are pods of the overlay, pods in another namespace, or a host outside the cluster.
 */
final class NetworkModel {

    /** One end of a connection. */
    record Endpoint(String description, String namespace, Map<String, String> namespaceLabels,
                    Map<String, String> podLabels, Manifests.Workload workload) {

        boolean external() {
            return namespace == null;
        }

        @Override
        public String toString() {
            return description;
        }
    }

    private final Manifests manifests;

    NetworkModel(Manifests manifests) {
        this.manifests = manifests;
    }

    Endpoint pod(Manifests.Workload w) {
        String ns = w.namespace();
        return new Endpoint(w.appName() != null ? w.appName() : w.name(), ns, manifests.namespaceLabels(ns), w.podLabels(), w);
    }

    Optional<Endpoint> pod(String appName) {
        return manifests.workload(appName).map(this::pod);
    }

    List<Endpoint> pods() {
        List<Endpoint> all = new ArrayList<>();
        manifests.workloads().forEach(w -> all.add(pod(w)));
        return all;
    }

    static Endpoint podInNamespace(String namespace, Map<String, String> podLabels) {
        return new Endpoint("a pod in namespace " + namespace, namespace, Map.of("kubernetes.io/metadata.name", namespace), podLabels, null);
    }

    static Endpoint outside(String description) {
        return new Endpoint(description, null, Map.of(), Map.of(), null);
    }

    /** Whether {@code from} may open a TCP connection to {@code to} on {@code port} (a number). */
    boolean allowed(Endpoint from, Endpoint to, int port) {
        return egressAllowed(from, to, port) && ingressAllowed(from, to, port);
    }

    private boolean ingressAllowed(Endpoint from, Endpoint to, int port) {
        if (to.external() || to.workload() == null && !ownNamespace(to)) {
            return true; // not ours to restrict
        }
        List<K8sObject> isolating = policiesFor(to, "Ingress");
        if (isolating.isEmpty()) {
            return true;
        }
        for (K8sObject policy : isolating) {
            for (Object rule : Obj.listAt(policy.body(), "spec", "ingress")) {
                if (peersMatch(Obj.listAt(rule, "from"), from, policy) && portsMatch(Obj.listAt(rule, "ports"), to, port)) {
                    return true;
                }
            }
        }
        return false;
    }

    private boolean egressAllowed(Endpoint from, Endpoint to, int port) {
        if (from.external() || !ownNamespace(from)) {
            return true;
        }
        List<K8sObject> isolating = policiesFor(from, "Egress");
        if (isolating.isEmpty()) {
            return true;
        }
        for (K8sObject policy : isolating) {
            for (Object rule : Obj.listAt(policy.body(), "spec", "egress")) {
                if (peersMatch(Obj.listAt(rule, "to"), to, policy) && portsMatch(Obj.listAt(rule, "ports"), to, port)) {
                    return true;
                }
            }
        }
        return false;
    }

    private boolean ownNamespace(Endpoint e) {
        return manifests.all().stream().anyMatch(o -> e.namespace() != null && e.namespace().equals(o.namespace()));
    }

    /** The policies that select the endpoint's pod and isolate it in that direction. */
    private List<K8sObject> policiesFor(Endpoint e, String direction) {
        List<K8sObject> selecting = new ArrayList<>();
        for (K8sObject policy : manifests.ofKind("NetworkPolicy")) {
            if (!e.namespace().equals(policy.namespace())) {
                continue;
            }
            if (!Selectors.matches(Obj.mapAt(policy.body(), "spec", "podSelector"), e.podLabels())) {
                continue;
            }
            List<Object> types = Obj.listAt(policy.body(), "spec", "policyTypes");
            boolean isolates = types.isEmpty()
                    ? direction.equals("Ingress") || policy.at("spec", "egress") != null
                    : types.stream().map(String::valueOf).anyMatch(direction::equals);
            if (isolates) {
                selecting.add(policy);
            }
        }
        return selecting;
    }

    /** No peers: everyone. Otherwise one peer must match. */
    private boolean peersMatch(List<Object> peers, Endpoint other, K8sObject policy) {
        if (peers.isEmpty()) {
            return true;
        }
        for (Object peer : peers) {
            Object ipBlock = Obj.at(peer, "ipBlock");
            Object namespaceSelector = Obj.at(peer, "namespaceSelector");
            Object podSelector = Obj.at(peer, "podSelector");
            if (ipBlock != null) {
                // Treated as addresses outside the cluster (pod addresses are not pinned by CIDR here).
                if (other.external()) {
                    return true;
                }
                continue;
            }
            if (other.external()) {
                continue;
            }
            boolean namespaceOk = namespaceSelector == null
                    ? policy.namespace().equals(other.namespace())
                    : Selectors.matches(Obj.map(namespaceSelector), other.namespaceLabels());
            boolean podOk = podSelector == null || Selectors.matches(Obj.map(podSelector), other.podLabels());
            if (namespaceOk && podOk) {
                return true;
            }
        }
        return false;
    }

    /** No ports: all. A named port is resolved on the destination pod. */
    private boolean portsMatch(List<Object> ports, Endpoint to, int port) {
        if (ports.isEmpty()) {
            return true;
        }
        for (Object p : ports) {
            String protocol = Obj.strAt(p, "protocol");
            if (protocol != null && !protocol.equals("TCP")) {
                continue;
            }
            Object value = Obj.at(p, "port");
            if (value == null) {
                return true;
            }
            Object end = Obj.at(p, "endPort");
            if (value instanceof Number n) {
                int upper = end instanceof Number e ? e.intValue() : n.intValue();
                if (port >= n.intValue() && port <= upper) {
                    return true;
                }
            } else if (to.workload() != null && to.workload().containerPort(value.toString()).orElse(-1) == port) {
                return true;
            }
        }
        return false;
    }
}
