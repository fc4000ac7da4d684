package dev.clearance.deploy;

import java.util.Map;

/** One object of a built overlay. */
record K8sObject(Map<String, Object> body) {

    String apiVersion() {
        return Obj.strAt(body, "apiVersion");
    }

    String kind() {
        return Obj.strAt(body, "kind");
    }

    String name() {
        return Obj.strAt(body, "metadata", "name");
    }

    String namespace() {
        return Obj.strAt(body, "metadata", "namespace");
    }

    Object at(String... path) {
        return Obj.at(body, path);
    }

    Map<String, Object> spec() {
        return Obj.mapAt(body, "spec");
    }

    boolean is(String kind) {
        return kind.equals(kind());
    }

    @Override
    public String toString() {
        return kind() + "/" + name();
    }
}
