package dev.clearance.access;

import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.ext.web.client.WebClient;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.VerificationJwkSelector;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.lang.JoseException;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The realm's signing keys (JWKS), fetched lazily with the non-blocking Vert.x client and
 * cached: the service starts without Keycloak, and a request never blocks an event loop on key
 * retrieval. Concurrent misses share one fetch.
 */
@ApplicationScoped
public class RealmKeys {

    private static final Logger LOG = Logger.getLogger(RealmKeys.class);

    /** Fetched keys and when. */
    private record Snapshot(List<JsonWebKey> keys, Instant fetchedAt) {
    }

    /** Why no key could be found. */
    public static final class KeysUnavailableException extends RuntimeException {
        KeysUnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final OidcConfig config;
    private final Clock clock;
    private final WebClient client;
    private volatile Snapshot current;
    private CompletableFuture<Snapshot> pending;

    @Inject
    public RealmKeys(OidcConfig config, Vertx vertx) {
        this(config, Clock.systemUTC(), vertx);
    }

    public RealmKeys(OidcConfig config, Clock clock, Vertx vertx) {
        this.config = config;
        this.clock = clock;
        this.client = WebClient.create(vertx, new WebClientOptions()
                .setConnectTimeout((int) config.jwksTimeout().toMillis())
                .setFollowRedirects(false));
    }

    @PreDestroy
    void close() {
        client.close();
    }

    /**
     * The key that verifies {@code jws}, or null when the realm has none (then the token is
     * invalid). Fails with {@link KeysUnavailableException} when the keys cannot be fetched.
     */
    public Uni<JsonWebKey> keyFor(JsonWebSignature jws) {
        Instant now = clock.instant();
        Snapshot snapshot = current;
        if (snapshot != null && now.isBefore(snapshot.fetchedAt().plus(config.jwksMaxAge()))) {
            JsonWebKey key = select(jws, snapshot.keys());
            boolean mayRefresh = !now.isBefore(snapshot.fetchedAt().plus(config.jwksMinRefreshInterval()));
            if (key != null || !mayRefresh) {
                return Uni.createFrom().item(key);
            }
        }
        // Unknown key id (rotation) or keys too old: refetch once, shared by concurrent callers.
        return Uni.createFrom().completionStage(() -> refresh(snapshot)).map(fresh -> select(jws, fresh.keys()));
    }

    /** @param seen the keys the caller judged stale or lacking; keys fetched since then are used as they are */
    private synchronized CompletionStage<Snapshot> refresh(Snapshot seen) {
        if (pending != null) {
            return pending;
        }
        if (current != seen) {
            // A fetch finished between the caller's look and this lock (its callback had not run yet).
            return CompletableFuture.completedFuture(current);
        }
        CompletableFuture<Snapshot> fetch = fetch().subscribeAsCompletionStage();
        pending = fetch;
        // A fetch that already finished runs this callback right here and clears pending, so
        // return the local future, never the field.
        fetch.whenComplete((snapshot, error) -> {
            synchronized (this) {
                if (pending == fetch) {
                    pending = null;
                }
                if (snapshot != null) {
                    current = snapshot;
                }
            }
        });
        return fetch;
    }

    private Uni<Snapshot> fetch() {
        String url = config.effectiveJwksUrl();
        return client.requestAbs(HttpMethod.GET, url)
                .timeout(config.jwksTimeout().toMillis())
                .putHeader("Accept", "application/json")
                .send()
                .map(response -> {
                    if (response.statusCode() != 200) {
                        throw new KeysUnavailableException("JWKS " + url + " answered HTTP " + response.statusCode(), null);
                    }
                    try {
                        List<JsonWebKey> keys = new JsonWebKeySet(response.bodyAsString()).getJsonWebKeys();
                        return new Snapshot(List.copyOf(keys), clock.instant());
                    } catch (JoseException e) {
                        throw new KeysUnavailableException("JWKS " + url + " is not a JSON Web Key Set", e);
                    }
                })
                .onFailure(e -> !(e instanceof KeysUnavailableException))
                .transform(e -> new KeysUnavailableException("JWKS " + url + " unreachable: " + e.getMessage(), e))
                .onFailure().invoke(e -> LOG.warnf("cannot fetch realm keys: %s", e.getMessage()));
    }

    private static JsonWebKey select(JsonWebSignature jws, List<JsonWebKey> keys) {
        try {
            return new VerificationJwkSelector().select(jws, keys);
        } catch (JoseException e) {
            return null;
        }
    }
}
