package dev.clearance.deploy;

import io.kubernetes.client.custom.Quantity;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Our own checks on a built overlay. Each returns what is wrong (empty: nothing) so that a test
 * can assert both that the real overlays pass and that a deliberately broken one fails.
 */
final class Checks {

    private Checks() {
    }

    // ---------------------------------------------------------------- selectors and references

    /**
     * Every selector selects what it is meant to: a workload's selector its own pod template; a
     * Service, a PodDisruptionBudget, an affinity or spread term and a NetworkPolicy's pods pods
     * that exist; an autoscaler's target a workload that exists.
     */
    static List<String> selectors(Manifests m) {
        List<String> errors = new ArrayList<>();
        List<Manifests.Workload> workloads = m.workloads();
        for (Manifests.Workload w : workloads) {
            if (Selectors.isEmpty(w.selector())) {
                errors.add(w + ": empty selector");
            } else if (!Selectors.matches(w.selector(), w.podLabels())) {
                errors.add(w + ": selector " + w.selector() + " does not match its pod labels " + w.podLabels());
            }
            Map<String, Object> affinity = Obj.mapAt(w.podSpec(), "affinity");
            for (String kind : List.of("podAffinity", "podAntiAffinity")) {
                List<Object> terms = new ArrayList<>(Obj.listAt(affinity, kind, "requiredDuringSchedulingIgnoredDuringExecution"));
                Obj.listAt(affinity, kind, "preferredDuringSchedulingIgnoredDuringExecution")
                        .forEach(p -> terms.add(Obj.at(p, "podAffinityTerm")));
                for (Object term : terms) {
                    Map<String, Object> selector = Obj.mapAt(term, "labelSelector");
                    if (selectedWorkloads(workloads, selector).isEmpty()) {
                        errors.add(w + ": " + kind + " labelSelector " + selector + " selects no pod");
                    }
                }
            }
            for (Object c : Obj.listAt(w.podSpec(), "topologySpreadConstraints")) {
                Map<String, Object> selector = Obj.mapAt(c, "labelSelector");
                if (!Selectors.matches(selector, w.podLabels())) {
                    errors.add(w + ": topologySpreadConstraint labelSelector " + selector + " does not select its own pods");
                }
            }
        }
        for (K8sObject service : m.ofKind("Service")) {
            Map<String, String> selector = Obj.labels(service.at("spec", "selector"));
            List<Manifests.Workload> selected = workloads.stream()
                    .filter(w -> Selectors.matchesPlain(selector, w.podLabels())).collect(Collectors.toList());
            if (selected.size() != 1) {
                errors.add(service + ": selector " + selector + " selects " + selected.size() + " workloads' pods " + selected + " (expected exactly one)");
            }
        }
        for (K8sObject pdb : m.ofKind("PodDisruptionBudget")) {
            List<Manifests.Workload> selected = selectedWorkloads(workloads, Obj.mapAt(pdb.body(), "spec", "selector"));
            if (selected.size() != 1) {
                errors.add(pdb + ": selector selects " + selected.size() + " workloads' pods " + selected + " (expected exactly one)");
            }
        }
        for (K8sObject policy : m.ofKind("NetworkPolicy")) {
            Map<String, Object> podSelector = Obj.mapAt(policy.body(), "spec", "podSelector");
            if (!Selectors.isEmpty(podSelector) && selectedWorkloads(workloads, podSelector).isEmpty()) {
                errors.add(policy + ": podSelector " + podSelector + " selects no pod");
            }
            for (String direction : List.of("ingress", "egress")) {
                String peers = direction.equals("ingress") ? "from" : "to";
                for (Object rule : Obj.listAt(policy.body(), "spec", direction)) {
                    for (Object peer : Obj.listAt(rule, peers)) {
                        Object peerPods = Obj.at(peer, "podSelector");
                        // A podSelector without a namespaceSelector selects pods of this namespace: they must exist.
                        if (peerPods != null && Obj.at(peer, "namespaceSelector") == null
                                && !Selectors.isEmpty(Obj.map(peerPods))
                                && selectedWorkloads(workloads, Obj.map(peerPods)).isEmpty()) {
                            errors.add(policy + ": " + direction + " peer podSelector " + peerPods + " selects no pod");
                        }
                    }
                }
            }
        }
        for (K8sObject hpa : m.ofKind("HorizontalPodAutoscaler")) {
            String kind = Obj.str(hpa.at("spec", "scaleTargetRef", "kind"));
            String name = Obj.str(hpa.at("spec", "scaleTargetRef", "name"));
            String apiVersion = Obj.str(hpa.at("spec", "scaleTargetRef", "apiVersion"));
            Optional<K8sObject> target = m.find(kind, name);
            if (target.isEmpty()) {
                errors.add(hpa + ": scaleTargetRef " + kind + "/" + name + " does not exist");
            } else if (!target.get().apiVersion().equals(apiVersion)) {
                errors.add(hpa + ": scaleTargetRef apiVersion " + apiVersion + " is not the target's " + target.get().apiVersion());
            }
        }
        return errors;
    }

    private static List<Manifests.Workload> selectedWorkloads(List<Manifests.Workload> workloads, Map<String, Object> selector) {
        if (Selectors.isEmpty(selector)) {
            return List.of(); // an empty LabelSelector here (PDB, affinity) is a mistake, not "everything"
        }
        return workloads.stream().filter(w -> Selectors.matches(selector, w.podLabels())).collect(Collectors.toList());
    }

    /** A pod's ServiceAccount and the ConfigMaps it reads exist in the overlay (Secrets, by design, do not). */
    static List<String> references(Manifests m) {
        List<String> errors = new ArrayList<>();
        for (Manifests.Workload w : m.workloads()) {
            String account = Obj.str(w.podSpec().get("serviceAccountName"));
            if (account == null) {
                errors.add(w + ": no serviceAccountName (would run as the namespace's default account)");
            } else if (m.find("ServiceAccount", account).isEmpty()) {
                errors.add(w + ": ServiceAccount " + account + " does not exist");
            }
            for (Object v : Obj.listAt(w.podSpec(), "volumes")) {
                String cm = Obj.strAt(v, "configMap", "name");
                if (cm != null && m.find("ConfigMap", cm).isEmpty()) {
                    errors.add(w + ": volume " + Obj.strAt(v, "name") + " names ConfigMap " + cm + ", which does not exist");
                }
            }
            for (Map<String, Object> c : w.allContainers()) {
                for (Object from : Obj.list(c.get("envFrom"))) {
                    String cm = Obj.strAt(from, "configMapRef", "name");
                    if (cm != null && m.find("ConfigMap", cm).isEmpty()) {
                        errors.add(w + " container " + c.get("name") + ": envFrom ConfigMap " + cm + " does not exist");
                    }
                }
                for (Object e : Obj.list(c.get("env"))) {
                    String cm = Obj.strAt(e, "valueFrom", "configMapKeyRef", "name");
                    if (cm != null && m.find("ConfigMap", cm).isEmpty()) {
                        errors.add(w + " container " + c.get("name") + ": env " + Obj.strAt(e, "name") + " names ConfigMap " + cm + ", which does not exist");
                    }
                }
            }
        }
        return errors;
    }

    // ---------------------------------------------------------------- ports

    /**
     * The services' containers expose the ports the services are configured with
     * (application.properties, or the environment the manifests give them): {@code grpc} and
     * {@code http}; probes use the HTTP port; every Service's targetPort is a port of the pods it
     * selects.
     */
    static List<String> ports(Manifests m, Map<String, ServiceConfig> services) {
        List<String> errors = new ArrayList<>();
        for (ServiceConfig service : services.values()) {
            Optional<Manifests.Workload> workload = m.workload(service.name());
            if (workload.isEmpty()) {
                errors.add(service.name() + ": no workload");
                continue;
            }
            Manifests.Workload w = workload.get();
            Optional<Map<String, Object>> container = w.container(service.name());
            if (container.isEmpty()) {
                errors.add(w + ": no container named " + service.name());
                continue;
            }
            Map<String, String> env = Env.of(m, container.get()).values();
            int grpc = service.grpcPort(env);
            int http = service.httpPort(env);
            Map<String, Integer> declared = Obj.list(container.get().get("ports")).stream().collect(Collectors.toMap(
                    p -> String.valueOf(Obj.strAt(p, "name")), p -> ((Number) Obj.at(p, "containerPort")).intValue(), (a, b) -> a));
            if (!Integer.valueOf(grpc).equals(declared.get("grpc"))) {
                errors.add(w + ": container port grpc is " + declared.get("grpc") + " (the service listens on " + grpc + ")");
            }
            if (!Integer.valueOf(http).equals(declared.get("http"))) {
                errors.add(w + ": container port http is " + declared.get("http") + " (the service listens on " + http + ")");
            }
            for (String probe : List.of("startupProbe", "readinessProbe", "livenessProbe")) {
                Object port = Obj.at(container.get(), probe, "httpGet", "port");
                if (port == null) {
                    continue; // the probes check reports a missing probe
                }
                Integer resolved = port instanceof Number n ? Integer.valueOf(n.intValue()) : declared.get(port.toString());
                if (!Integer.valueOf(http).equals(resolved)) {
                    errors.add(w + ": " + probe + " uses port " + port + ", health is on the HTTP port " + http);
                }
            }
        }
        for (K8sObject service : m.ofKind("Service")) {
            Map<String, String> selector = Obj.labels(service.at("spec", "selector"));
            List<Manifests.Workload> selected = m.workloads().stream()
                    .filter(w -> Selectors.matchesPlain(selector, w.podLabels())).collect(Collectors.toList());
            for (Object p : Obj.listAt(service.body(), "spec", "ports")) {
                Object target = Obj.at(p, "targetPort");
                Object effective = target != null ? target : Obj.at(p, "port");
                for (Manifests.Workload w : selected) {
                    if (w.containerPort(effective).isEmpty()) {
                        errors.add(service + ": port " + Obj.strAt(p, "name") + " targets " + effective + ", which " + w + " does not expose");
                    }
                }
            }
        }
        return errors;
    }

    // ---------------------------------------------------------------- probes and resources

    private static final Map<String, String> HEALTH_PATHS = Map.of(
            "startupProbe", "/q/health/started", "readinessProbe", "/q/health/ready", "livenessProbe", "/q/health/live");

    /** Every container has a startup, a readiness and a liveness probe; the services' are on Quarkus' health endpoints. */
    static List<String> probes(Manifests m) {
        List<String> errors = new ArrayList<>();
        for (Manifests.Workload w : m.workloads()) {
            boolean clearance = ServiceConfig.SERVICES.contains(w.appName());
            for (Map<String, Object> c : w.containers()) {
                for (String probe : List.of("startupProbe", "readinessProbe", "livenessProbe")) {
                    Object p = c.get(probe);
                    if (p == null) {
                        errors.add(w + " container " + c.get("name") + ": no " + probe);
                    } else if (clearance) {
                        String path = Obj.strAt(p, "httpGet", "path");
                        if (!HEALTH_PATHS.get(probe).equals(path)) {
                            errors.add(w + " container " + c.get("name") + ": " + probe + " path is " + path + ", expected " + HEALTH_PATHS.get(probe));
                        }
                    }
                }
            }
        }
        return errors;
    }

    /** Every container (init containers too) requests and limits cpu and memory, with requests not above limits. */
    static List<String> resources(Manifests m) {
        List<String> errors = new ArrayList<>();
        for (Manifests.Workload w : m.workloads()) {
            for (Map<String, Object> c : w.allContainers()) {
                String where = w + " container " + c.get("name");
                for (String resource : List.of("cpu", "memory")) {
                    Object request = Obj.at(c, "resources", "requests", resource);
                    Object limit = Obj.at(c, "resources", "limits", resource);
                    if (request == null) {
                        errors.add(where + ": no " + resource + " request");
                    }
                    if (limit == null) {
                        errors.add(where + ": no " + resource + " limit");
                    }
                    if (request != null && limit != null
                            && quantity(request).compareTo(quantity(limit)) > 0) {
                        errors.add(where + ": " + resource + " request " + request + " is above the limit " + limit);
                    }
                }
            }
        }
        return errors;
    }

    private static java.math.BigDecimal quantity(Object q) {
        return Quantity.fromString(q.toString()).getNumber();
    }

    // ---------------------------------------------------------------- images

    private static final Pattern DIGEST = Pattern.compile("@sha256:[0-9a-f]{64}$");

    /** Every image names an explicit tag (or a digest), and never {@code latest}. */
    static List<String> images(Manifests m) {
        List<String> errors = new ArrayList<>();
        for (Manifests.Workload w : m.workloads()) {
            for (Map<String, Object> c : w.allContainers()) {
                String image = Obj.str(c.get("image"));
                String where = w + " container " + c.get("name");
                if (image == null || image.isBlank()) {
                    errors.add(where + ": no image");
                    continue;
                }
                if (DIGEST.matcher(image).find()) {
                    continue;
                }
                String last = image.substring(image.lastIndexOf('/') + 1);
                int colon = last.indexOf(':');
                if (colon < 0) {
                    errors.add(where + ": image " + image + " has no tag");
                } else if (last.substring(colon + 1).equalsIgnoreCase("latest")) {
                    errors.add(where + ": image " + image + " uses the tag latest");
                }
            }
        }
        return errors;
    }

    // ---------------------------------------------------------------- security

    /**
     * Pods run as a non-root user with a read-only root file system (the restricted Pod Security
     * Standard): runAsNonRoot and a non-zero runAsUser, readOnlyRootFilesystem, no privilege
     * escalation, all capabilities dropped, the runtime's seccomp profile. The services' JVMs get
     * an emptyDir at /tmp (java.io.tmpdir: the router's snapshot file, Vert.x' cache).
     */
    static List<String> security(Manifests m) {
        List<String> errors = new ArrayList<>();
        for (Manifests.Workload w : m.workloads()) {
            Map<String, Object> pod = Obj.mapAt(w.podSpec(), "securityContext");
            if (Boolean.TRUE.equals(w.podSpec().get("hostNetwork")) || Boolean.TRUE.equals(w.podSpec().get("hostPID"))) {
                errors.add(w + ": uses the host's network or PID namespace");
            }
            for (Map<String, Object> c : w.allContainers()) {
                String where = w + " container " + c.get("name");
                Map<String, Object> sc = Obj.map(c.get("securityContext"));
                Object nonRoot = sc.containsKey("runAsNonRoot") ? sc.get("runAsNonRoot") : pod.get("runAsNonRoot");
                Object user = sc.containsKey("runAsUser") ? sc.get("runAsUser") : pod.get("runAsUser");
                Object seccomp = sc.containsKey("seccompProfile") ? Obj.at(sc, "seccompProfile", "type") : Obj.at(pod, "seccompProfile", "type");
                if (!Boolean.TRUE.equals(nonRoot)) {
                    errors.add(where + ": runAsNonRoot is not true");
                }
                if (!(user instanceof Number n) || n.longValue() == 0) {
                    errors.add(where + ": runAsUser is " + user + " (must be set, and not 0)");
                }
                if (!Boolean.TRUE.equals(sc.get("readOnlyRootFilesystem"))) {
                    errors.add(where + ": readOnlyRootFilesystem is not true");
                }
                if (!Boolean.FALSE.equals(sc.get("allowPrivilegeEscalation"))) {
                    errors.add(where + ": allowPrivilegeEscalation is not false");
                }
                if (Boolean.TRUE.equals(sc.get("privileged"))) {
                    errors.add(where + ": privileged");
                }
                List<Object> dropped = Obj.listAt(sc, "capabilities", "drop");
                if (dropped.stream().map(String::valueOf).noneMatch("ALL"::equals)) {
                    errors.add(where + ": capabilities are not dropped (drop: [ALL])");
                }
                if (!Obj.listAt(sc, "capabilities", "add").isEmpty()) {
                    errors.add(where + ": adds capabilities " + Obj.listAt(sc, "capabilities", "add"));
                }
                if (!"RuntimeDefault".equals(seccomp) && !"Localhost".equals(seccomp)) {
                    errors.add(where + ": seccompProfile is " + seccomp + " (RuntimeDefault expected)");
                }
            }
            if (ServiceConfig.SERVICES.contains(w.appName())) {
                w.container(w.appName()).ifPresent(c -> {
                    Optional<Object> tmp = Obj.list(c.get("volumeMounts")).stream()
                            .filter(v -> "/tmp".equals(Obj.strAt(v, "mountPath"))).findFirst();
                    boolean emptyDir = tmp.isPresent() && Obj.listAt(w.podSpec(), "volumes").stream()
                            .anyMatch(v -> Obj.strAt(tmp.get(), "name").equals(Obj.strAt(v, "name")) && Obj.at(v, "emptyDir") != null);
                    if (!emptyDir) {
                        errors.add(w + " container " + c.get("name") + ": no emptyDir mounted at /tmp (the root file system is read-only)");
                    }
                });
            }
        }
        return errors;
    }

    // ---------------------------------------------------------------- secrets

    private static final Pattern SENSITIVE = Pattern.compile("(?i).*(PASSWORD|SECRET|TOKEN|PRIVATE_KEY|API_KEY).*");

    /**
     * No secret value is committed: no Secret carries data (so no secretGenerator either), no
     * ConfigMap holds a key that looks like a credential, and every such environment variable
     * comes from a secretKeyRef.
     */
    static List<String> secrets(Manifests m) {
        List<String> errors = new ArrayList<>();
        for (K8sObject secret : m.ofKind("Secret")) {
            if (!Obj.mapAt(secret.body(), "data").isEmpty() || !Obj.mapAt(secret.body(), "stringData").isEmpty()) {
                errors.add(secret + ": a Secret with data is committed");
            }
        }
        for (K8sObject cm : m.ofKind("ConfigMap")) {
            for (String key : Obj.mapAt(cm.body(), "data").keySet()) {
                if (SENSITIVE.matcher(key).matches()) {
                    errors.add(cm + ": key " + key + " looks like a credential; use a Secret by reference");
                }
            }
        }
        for (Manifests.Workload w : m.workloads()) {
            for (Map<String, Object> c : w.allContainers()) {
                Env env = Env.of(m, c);
                for (String name : env.values().keySet()) {
                    if (SENSITIVE.matcher(name).matches()) {
                        errors.add(w + " container " + c.get("name") + ": " + name + " has a literal value; use a secretKeyRef");
                    }
                }
                env.references().forEach((name, from) -> {
                    if (SENSITIVE.matcher(name).matches() && from.get("secretKeyRef") == null) {
                        errors.add(w + " container " + c.get("name") + ": " + name + " does not come from a Secret");
                    }
                });
            }
        }
        return errors;
    }

    /** Every Secret and key the manifests reference is documented (a `name` and `key` on one line of the README). */
    static List<String> secretsDocumented(Manifests m, String readme) {
        List<String> errors = new ArrayList<>();
        for (String[] ref : secretReferences(m)) {
            String name = "`" + ref[0] + "`";
            String key = "`" + ref[1] + "`";
            boolean wholeSecret = "*".equals(ref[1]);
            boolean documented = readme.lines().anyMatch(line -> line.contains(name) && (wholeSecret || line.contains(key)));
            if (!documented) {
                errors.add("Secret " + ref[0] + " key " + ref[1] + " is referenced but not documented in deploy/README.md");
            }
        }
        return errors;
    }

    static Set<String[]> secretReferences(Manifests m) {
        Set<String> seen = new java.util.TreeSet<>();
        for (Manifests.Workload w : m.workloads()) {
            for (Map<String, Object> c : w.allContainers()) {
                for (Map<String, Object> from : Env.of(m, c).references().values()) {
                    Object ref = from.get("secretKeyRef");
                    if (ref != null) {
                        seen.add(Obj.strAt(ref, "name") + "\u0000" + Obj.strAt(ref, "key"));
                    }
                }
            }
            for (Object v : Obj.listAt(w.podSpec(), "volumes")) {
                String secret = Obj.strAt(v, "secret", "secretName");
                if (secret != null) {
                    seen.add(secret + "\u0000*");
                }
            }
        }
        return seen.stream().map(s -> s.split("\u0000")).collect(Collectors.toCollection(java.util.LinkedHashSet::new));
    }

    // ---------------------------------------------------------------- scaling

    /** A workload an autoscaler scales has no replicas field (each apply would reset the count); min ≤ max. */
    static List<String> autoscaling(Manifests m) {
        List<String> errors = new ArrayList<>();
        for (K8sObject hpa : m.ofKind("HorizontalPodAutoscaler")) {
            String kind = Obj.str(hpa.at("spec", "scaleTargetRef", "kind"));
            String name = Obj.str(hpa.at("spec", "scaleTargetRef", "name"));
            m.find(kind, name).ifPresent(target -> {
                if (target.at("spec", "replicas") != null) {
                    errors.add(target + ": sets replicas although " + hpa + " scales it");
                }
            });
            Object min = hpa.at("spec", "minReplicas");
            Object max = hpa.at("spec", "maxReplicas");
            int lower = min instanceof Number n ? n.intValue() : 1;
            if (max instanceof Number n && lower > n.intValue()) {
                errors.add(hpa + ": minReplicas " + lower + " is above maxReplicas " + max);
            }
        }
        return errors;
    }

    // ---------------------------------------------------------------- service configuration

    /**
     * Every gRPC client a service configures in its application.properties (whose defaults say
     * localhost) is pointed by the environment at a Service of the overlay, on that Service's
     * port that leads to the target's gRPC port. Services with a database get its URLs from the
     * environment, not localhost.
     */
    static List<String> serviceConfiguration(Manifests m, Map<String, ServiceConfig> services) {
        List<String> errors = new ArrayList<>();
        for (ServiceConfig service : services.values()) {
            Optional<Manifests.Workload> workload = m.workload(service.name());
            if (workload.isEmpty()) {
                errors.add(service.name() + ": no workload");
                continue;
            }
            Optional<Map<String, Object>> container = workload.get().container(service.name());
            if (container.isEmpty()) {
                continue; // reported by ports()
            }
            Env env = Env.of(m, container.get());
            for (String client : service.grpcClients()) {
                String hostKey = ServiceConfig.envName("quarkus.grpc.clients." + client + ".host");
                String portKey = ServiceConfig.envName("quarkus.grpc.clients." + client + ".port");
                String host = env.values().get(hostKey);
                String port = service.effective("quarkus.grpc.clients." + client + ".port", env.values());
                String where = service.name() + " gRPC client " + client;
                if (host == null) {
                    errors.add(where + ": " + hostKey + " is not set (the default is " + service.properties().getProperty("quarkus.grpc.clients." + client + ".host") + ")");
                    continue;
                }
                String serviceName = host.split("\\.")[0];
                Optional<K8sObject> target = m.find("Service", serviceName);
                if (target.isEmpty()) {
                    errors.add(where + ": " + hostKey + "=" + host + " is no Service of the overlay");
                    continue;
                }
                Optional<Object> servicePort = Obj.listAt(target.get().body(), "spec", "ports").stream()
                        .filter(p -> String.valueOf(Obj.at(p, "port")).equals(port)).findFirst();
                if (servicePort.isEmpty()) {
                    errors.add(where + ": " + portKey + "=" + port + " is no port of Service " + serviceName);
                    continue;
                }
                Object targetPort = Obj.at(servicePort.get(), "targetPort");
                Map<String, String> selector = Obj.labels(target.get().at("spec", "selector"));
                for (Manifests.Workload w : m.workloads()) {
                    if (Selectors.matchesPlain(selector, w.podLabels())) {
                        Optional<Integer> resolved = w.containerPort(targetPort != null ? targetPort : Integer.valueOf(port));
                        Optional<Integer> grpc = w.containerPort("grpc");
                        if (resolved.isEmpty() || grpc.isEmpty() || !resolved.equals(grpc)) {
                            errors.add(where + ": Service " + serviceName + " port " + port + " does not lead to the gRPC port of " + w);
                        }
                    }
                }
            }
            if (service.usesDatabase()) {
                for (String key : List.of("quarkus.datasource.reactive.url", "quarkus.datasource.jdbc.url")) {
                    String value = env.values().get(ServiceConfig.envName(key));
                    if (value == null || value.contains("localhost") || value.contains("127.0.0.1")) {
                        errors.add(service.name() + ": " + ServiceConfig.envName(key) + " is " + value + " (must name the deployment's PostgreSQL)");
                    }
                }
                for (String key : List.of("quarkus.datasource.username", "quarkus.datasource.password")) {
                    Map<String, Object> from = env.references().get(ServiceConfig.envName(key));
                    if (from == null || from.get("secretKeyRef") == null) {
                        errors.add(service.name() + ": " + ServiceConfig.envName(key) + " does not come from a Secret");
                    }
                }
            }
        }
        return errors;
    }
}
