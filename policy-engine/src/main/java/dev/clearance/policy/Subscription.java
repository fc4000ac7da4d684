package dev.clearance.policy;

/** An organisation ({@code organisations/{id}}) subscribed to a tier (tier id). */
public record Subscription(String organisation, String tier) {
}
