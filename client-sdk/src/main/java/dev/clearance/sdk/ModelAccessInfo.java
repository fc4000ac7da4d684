package dev.clearance.sdk;

import java.util.List;
import java.util.Optional;

/**
 * Whether the caller may use one model version now.
 *
 * @param model         version id
 * @param family        family id
 * @param allowed       whether a request for it would be served by it
 * @param reasons       why it is allowed or refused
 * @param fallbackModel when refused: the version a request allowing fallback would get; empty if none
 */
public record ModelAccessInfo(String model, String family, boolean allowed, List<Reason> reasons,
                              String fallbackModel) {

    public ModelAccessInfo {
        reasons = List.copyOf(reasons);
    }

    public Optional<String> fallback() {
        return fallbackModel == null || fallbackModel.isEmpty() ? Optional.empty() : Optional.of(fallbackModel);
    }
}
