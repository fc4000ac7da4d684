package dev.clearance.router.policy;

import dev.clearance.policy.PolicySnapshot;

/**
 * A CDI event: what decisions rest on changed, so streams in flight must be checked again. Fired
 * when a newer snapshot is applied and when the policy turns stale.
 *
 * @param snapshot the snapshot held now
 * @param stale    whether it is stale now
 */
public record PolicyChanged(PolicySnapshot snapshot, boolean stale) {
}
