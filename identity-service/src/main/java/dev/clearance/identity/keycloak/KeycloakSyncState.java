package dev.clearance.identity.keycloak;

import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;

/** How the Keycloak sync is doing, for health and for the backoff: last success, failing since when and why. */
@ApplicationScoped
public class KeycloakSyncState {

    /** An immutable view. {@code failingSince} null: the last run worked (or none ran yet). */
    public record View(Instant lastSuccess, Instant failingSince, String lastFailure, int consecutiveFailures) {
    }

    private volatile View view = new View(null, null, null, 0);
    private volatile Runnable onFailure = () -> { };

    /** The schedule's hook: any failed run, periodic or on demand, brings the next attempt forward. */
    void onFailure(Runnable listener) {
        this.onFailure = listener;
    }

    public View view() {
        return view;
    }

    synchronized void succeeded(Instant at) {
        view = new View(at, null, null, 0);
    }

    synchronized void failed(Instant at, String why) {
        View v = view;
        view = new View(v.lastSuccess(), v.failingSince() == null ? at : v.failingSince(), why,
                v.consecutiveFailures() + 1);
        onFailure.run();
    }
}
