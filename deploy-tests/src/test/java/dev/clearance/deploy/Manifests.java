package dev.clearance.deploy;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** The objects of one built overlay, and the pods its workloads run. */
final class Manifests {

    static final List<String> WORKLOAD_KINDS = List.of("Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job");

    private final List<K8sObject> objects;

    Manifests(List<K8sObject> objects) {
        this.objects = List.copyOf(objects);
    }

    static Manifests parse(String yaml) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        Yaml parser = new Yaml(new SafeConstructor(options));
        List<K8sObject> objects = new ArrayList<>();
        for (Object document : parser.loadAll(yaml)) {
            if (document == null) {
                continue;
            }
            if (!(document instanceof Map<?, ?>)) {
                throw new IllegalArgumentException("a document that is not an object: " + document);
            }
            objects.add(new K8sObject(Obj.map(document)));
        }
        return new Manifests(objects);
    }

    List<K8sObject> all() {
        return objects;
    }

    List<K8sObject> ofKind(String kind) {
        return objects.stream().filter(o -> o.is(kind)).collect(Collectors.toList());
    }

    Optional<K8sObject> find(String kind, String name) {
        return objects.stream().filter(o -> o.is(kind) && name.equals(o.name())).findFirst();
    }

    List<Workload> workloads() {
        return objects.stream().filter(o -> WORKLOAD_KINDS.contains(o.kind())).map(Workload::new).collect(Collectors.toList());
    }

    Optional<Workload> workload(String appName) {
        return workloads().stream().filter(w -> appName.equals(w.appName())).findFirst();
    }

    /** Labels of the namespace the objects are in (what a namespaceSelector sees). */
    Map<String, String> namespaceLabels(String namespace) {
        Map<String, String> labels = new java.util.HashMap<>();
        find("Namespace", namespace).ifPresent(ns -> labels.putAll(Obj.labels(ns.at("metadata", "labels"))));
        labels.put("kubernetes.io/metadata.name", namespace);
        return labels;
    }

    /** A Deployment, StatefulSet, ... and the pod template it runs. */
    record Workload(K8sObject object) {

        String name() {
            return object.name();
        }

        String kind() {
            return object.kind();
        }

        String namespace() {
            return object.namespace();
        }

        Map<String, String> podLabels() {
            return Obj.labels(object.at("spec", "template", "metadata", "labels"));
        }

        String appName() {
            return podLabels().get("app.kubernetes.io/name");
        }

        Map<String, Object> podSpec() {
            return Obj.mapAt(object.body(), "spec", "template", "spec");
        }

        Map<String, Object> selector() {
            return Obj.mapAt(object.body(), "spec", "selector");
        }

        List<Map<String, Object>> containers() {
            return Obj.listAt(podSpec(), "containers").stream().map(Obj::map).collect(Collectors.toList());
        }

        List<Map<String, Object>> initContainers() {
            return Obj.listAt(podSpec(), "initContainers").stream().map(Obj::map).collect(Collectors.toList());
        }

        List<Map<String, Object>> allContainers() {
            List<Map<String, Object>> all = new ArrayList<>(initContainers());
            all.addAll(containers());
            return all;
        }

        Optional<Map<String, Object>> container(String name) {
            return containers().stream().filter(c -> name.equals(Obj.str(c.get("name")))).findFirst();
        }

        /** A port of any container, by name or number, resolved to its number. */
        Optional<Integer> containerPort(Object nameOrNumber) {
            for (Map<String, Object> c : containers()) {
                for (Object p : Obj.list(c.get("ports"))) {
                    Object number = Obj.at(p, "containerPort");
                    if (nameOrNumber instanceof Number n) {
                        if (number instanceof Number m && m.intValue() == n.intValue()) {
                            return Optional.of(n.intValue());
                        }
                    } else if (nameOrNumber != null && nameOrNumber.toString().equals(Obj.strAt(p, "name"))
                            && number instanceof Number m) {
                        return Optional.of(m.intValue());
                    }
                }
            }
            return Optional.empty();
        }

        @Override
        public String toString() {
            return object.toString();
        }
    }
}
