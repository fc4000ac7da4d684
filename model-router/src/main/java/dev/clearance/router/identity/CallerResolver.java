package dev.clearance.router.identity;

import dev.clearance.common.v1.CallerIdentity;
import dev.clearance.router.auth.Credential;
import io.smallrye.mutiny.Uni;

/** Turns a credential into the caller's verified identity (one round trip to identity-service). */
@FunctionalInterface
public interface CallerResolver {
    Uni<CallerIdentity> resolve(Credential credential);
}
