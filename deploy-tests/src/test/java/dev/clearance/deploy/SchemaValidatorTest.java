package dev.clearance.deploy;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The schema validation itself: what it accepts, and that required fields, unknown fields and types each fail it. */
class SchemaValidatorTest {

    private static final String DEPLOYMENT = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: example
            spec:
              replicas: 2
              selector:
                matchLabels:
                  app: example
              template:
                metadata:
                  labels:
                    app: example
                spec:
                  securityContext:
                    runAsNonRoot: true
                  containers:
                    - name: example
                      image: registry.example/example:1.0.0
                      ports:
                        - containerPort: 8080
                      resources:
                        limits:
                          cpu: 500m
                          memory: 256Mi
            """;

    private static List<String> validate(String yaml) {
        return SchemaValidator.validate(Manifests.parse(yaml).all().get(0));
    }

    /** The valid Deployment with one edit (which must apply). */
    private static String edited(String from, String to) {
        assertTrue(DEPLOYMENT.contains(from), "the edit does not apply: " + from);
        return DEPLOYMENT.replace(from, to);
    }

    @Test
    void aValidDeploymentPasses() {
        assertEquals(List.of(), validate(DEPLOYMENT));
    }

    @Test
    void aMissingRequiredFieldFails() {
        List<String> errors = validate(edited("  selector:\n    matchLabels:\n      app: example\n", ""));
        assertTrue(errors.stream().anyMatch(e -> e.contains("selector")), errors.toString());
    }

    @Test
    void aContainerWithoutANameFails() {
        List<String> errors = validate(edited("- name: example\n          image:", "- image:"));
        assertTrue(errors.stream().anyMatch(e -> e.contains("`name`")), errors.toString());
    }

    @Test
    void anUnknownFieldFails() {
        List<String> errors = validate(edited("  replicas: 2", "  replica: 2"));
        assertTrue(errors.stream().anyMatch(e -> e.contains("replica")), errors.toString());
    }

    @Test
    void aStringWhereTheSchemaSaysIntegerFails() {
        List<String> errors = validate(edited("replicas: 2", "replicas: \"2\""));
        assertTrue(errors.stream().anyMatch(e -> e.contains("spec.replicas: expected an integer")), errors.toString());
    }

    @Test
    void aFractionWhereTheSchemaSaysIntegerFails() {
        List<String> errors = validate(edited("containerPort: 8080", "containerPort: 80.5"));
        assertTrue(errors.stream().anyMatch(e -> e.contains("containerPort: expected an integer")), errors.toString());
    }

    @Test
    void aStringWhereTheSchemaSaysBooleanFails() {
        List<String> errors = validate(edited("runAsNonRoot: true", "runAsNonRoot: \"yes\""));
        assertTrue(errors.stream().anyMatch(e -> e.contains("runAsNonRoot: expected a boolean")), errors.toString());
    }

    @Test
    void anObjectWhereTheSchemaSaysListFails() {
        List<String> errors = validate(edited("ports:\n            - containerPort: 8080", "ports:\n              containerPort: 8080"));
        assertTrue(errors.stream().anyMatch(e -> e.contains("ports")), errors.toString());
    }

    @Test
    void anUnknownKindIsAnErrorNotAPass() {
        List<String> errors = validate("apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\n");
        assertTrue(errors.stream().anyMatch(e -> e.contains("no schema for apiVersion example.com/v1 kind Widget")), errors.toString());
    }

    @Test
    void anOldApiVersionIsAnError() {
        List<String> errors = validate("apiVersion: autoscaling/v2beta2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: h\n");
        assertTrue(errors.stream().anyMatch(e -> e.contains("no schema")), errors.toString());
    }
}
