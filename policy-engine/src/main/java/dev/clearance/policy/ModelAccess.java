package dev.clearance.policy;

import java.util.List;

/**
 * Whether a caller may use one version now.
 *
 * @param fallbackModel when refused: the version a fallback request would be served, or null
 */
public record ModelAccess(String model, String family, boolean allowed, List<Reason> reasons, String fallbackModel) {
}
