package dev.clearance.router.identity;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.clearance.common.v1.CallerIdentity;
import dev.clearance.router.auth.Credential;
import io.smallrye.mutiny.Uni;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Who a credential belongs to, asked of identity-service and remembered briefly so a busy
 * caller costs one resolution per TTL, not one per request; a cached identity costs no I/O.
 *
 * <p>Keys are SHA-256 fingerprints of the credential, never the secret. Concurrent misses
 * for one credential share one resolution. Failures are never cached: the next request asks
 * again. A revoked API key or a changed verification is therefore seen at most one TTL late.
 */
public final class CallerDirectory {

    private final CallerResolver resolver;
    private final Cache<String, CallerIdentity> resolved;
    // Resolutions under way; bounded by concurrency, each ends within the identity deadline.
    private final ConcurrentMap<String, CompletableFuture<CallerIdentity>> inFlight = new ConcurrentHashMap<>();

    public CallerDirectory(CallerResolver resolver, Duration ttl, long maxEntries) {
        this.resolver = Objects.requireNonNull(resolver, "resolver");
        this.resolved = Caffeine.newBuilder()
                .expireAfterWrite(ttl)
                .maximumSize(maxEntries)
                .build();
    }

    public Uni<CallerIdentity> resolve(Credential credential) {
        return Uni.createFrom().deferred(() -> {
            String key = credential.fingerprint();
            CallerIdentity hit = resolved.getIfPresent(key);
            if (hit != null) {
                return Uni.createFrom().item(hit);
            }
            CompletableFuture<CallerIdentity> mine = new CompletableFuture<>();
            CompletableFuture<CallerIdentity> running = inFlight.putIfAbsent(key, mine);
            if (running != null) {
                return Uni.createFrom().completionStage(running.copy());
            }
            resolver.resolve(credential).subscribe().with(
                    identity -> {
                        resolved.put(key, identity);
                        inFlight.remove(key, mine);
                        mine.complete(identity);
                    },
                    failure -> {
                        inFlight.remove(key, mine);
                        mine.completeExceptionally(failure);
                    });
            // A copy: one waiter cancelling must not cancel the shared resolution.
            return Uni.createFrom().completionStage(mine.copy());
        });
    }

    /** Identities currently held (approximate; for metrics and tests). */
    public long size() {
        return resolved.estimatedSize();
    }
}
