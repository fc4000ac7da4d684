package dev.clearance.deploy;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every overlay builds with kustomize, every object is valid against the Kubernetes API schema,
 * and every check of our own passes.
 */
class OverlaysTest {

    @TestFactory
    Stream<DynamicTest> everyOverlayPassesEveryCheck() {
        List<String> overlays = Overlays.names().toList();
        assertTrue(overlays.containsAll(List.of("dev", "prod")), "overlays found: " + overlays);
        return overlays.stream().flatMap(overlay -> Stream.concat(
                Stream.of(DynamicTest.dynamicTest(overlay + ": builds", () ->
                        assertFalse(Overlays.built(overlay).all().isEmpty(), overlay + " built to nothing"))),
                Overlays.CHECKS.keySet().stream().sorted().map(check -> DynamicTest.dynamicTest(overlay + ": " + check, () -> {
                    List<String> problems = Overlays.CHECKS.get(check).apply(Overlays.built(overlay));
                    assertTrue(problems.isEmpty(), () -> overlay + " fails " + check + ":\n  " + String.join("\n  ", problems));
                }))));
    }
}
