package dev.clearance.entitlement.service;

import dev.clearance.policy.PolicySnapshot;

/**
 * One published revision in both forms: the wire snapshot streamed to routers and the
 * compiled index Check decides on. Both come from the same bytes, so they cannot disagree.
 */
public record CurrentPolicy(dev.clearance.entitlement.v1.PolicySnapshot proto, PolicySnapshot compiled) {

    public long revision() {
        return proto.getRevision();
    }
}
