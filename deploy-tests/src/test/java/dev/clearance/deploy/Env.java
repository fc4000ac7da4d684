package dev.clearance.deploy;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A container's environment as the manifests give it: literal values from envFrom ConfigMaps
 * and env entries (later ones win, as in Kubernetes), and the references (valueFrom) apart.
 */
record Env(Map<String, String> values, Map<String, Map<String, Object>> references) {

    static Env of(Manifests manifests, Map<String, Object> container) {
        Map<String, String> values = new LinkedHashMap<>();
        Map<String, Map<String, Object>> references = new LinkedHashMap<>();
        for (Object from : Obj.list(container.get("envFrom"))) {
            String configMap = Obj.strAt(from, "configMapRef", "name");
            if (configMap != null) {
                String prefix = Obj.str(Obj.at(from, "prefix"));
                manifests.find("ConfigMap", configMap).ifPresent(cm -> Obj.mapAt(cm.body(), "data")
                        .forEach((k, v) -> values.put((prefix == null ? "" : prefix) + k, Obj.str(v))));
            }
        }
        for (Object e : Obj.list(container.get("env"))) {
            String name = Obj.strAt(e, "name");
            if (Obj.at(e, "valueFrom") != null) {
                values.remove(name);
                references.put(name, Obj.mapAt(e, "valueFrom"));
            } else {
                references.remove(name);
                values.put(name, Obj.str(Obj.at(e, "value")));
            }
        }
        return new Env(values, references);
    }
}
