package dev.clearance.identity.service;

import dev.clearance.identity.changes.IdentityChanges;
import dev.clearance.identity.domain.ApiKey;
import dev.clearance.identity.domain.Person;
import dev.clearance.identity.keycloak.KeycloakSessions;
import dev.clearance.identity.repository.ApiKeyRepository;
import dev.clearance.identity.repository.PersonRepository;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Expiry is not an event, so it is looked for: every {@code expiry-sweep-interval} persons whose
 * recompute time has passed are recomputed (evidence expired), and API keys whose secret (or
 * previous secret) expired since the last sweep are announced. Each change is published on the
 * change stream after its transaction committed, so a router drops the cached identity without
 * waiting for its cache TTL; a person whose status changed by expiry loses their Keycloak sessions.
 * Reads notice expiry too ({@link PersonStatus#current}); the sweep covers persons nobody reads.
 */
@ApplicationScoped
public class ExpirySweep {

    private static final Logger LOG = Logger.getLogger(ExpirySweep.class);

    @Inject
    PersonRepository persons;
    @Inject
    ApiKeyRepository apiKeys;
    @Inject
    PersonStatus status;
    @Inject
    IdentityChanges changes;
    @Inject
    KeycloakSessions sessions;
    @Inject
    DatabaseClock clock;
    @Inject
    Vertx vertx;

    /** 0 turns the periodic sweep off (tests call {@link #sweep()} themselves). */
    @ConfigProperty(name = "clearance.identity.expiry-sweep-interval", defaultValue = "5s")
    Duration interval;

    private volatile Instant keysSweptUntil;
    private volatile boolean sweeping;
    private long timer = -1;

    void onStart(@Observes StartupEvent event) {
        // Keys that expired while the service was down: a router may still hold them for its cache TTL.
        keysSweptUntil = clock.now().minus(Duration.ofMinutes(5));
        if (interval.isZero() || interval.isNegative()) {
            return;
        }
        timer = vertx.setPeriodic(interval.toMillis(), id -> {
            if (sweeping) {
                return;
            }
            sweeping = true;
            BackgroundContext.run(vertx, this::sweep).subscribe().with(
                    n -> sweeping = false,
                    failure -> {
                        sweeping = false;
                        LOG.warnf("expiry sweep failed: %s", failure.getMessage());
                    });
        });
    }

    void onStop(@Observes ShutdownEvent event) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    /** One sweep; returns how many changes it published. Needs a Vert.x context. */
    public Uni<Integer> sweep() {
        Instant now = clock.now();
        Instant keysSince = keysSweptUntil;
        return Panache.withSession(() -> persons.list("statusRecomputeTime <= ?1", now))
                .flatMap(due -> recomputeEach(due, 0, 0))
                .flatMap(personChanges -> Panache.withSession(() -> apiKeys.list(
                                "(expireTime > ?1 and expireTime <= ?2) "
                                        + "or (previousSecretExpireTime > ?1 and previousSecretExpireTime <= ?2)",
                                keysSince, now))
                        .map(keys -> {
                            for (ApiKey k : keys) {
                                changes.apiKey(k.id(), now);
                            }
                            keysSweptUntil = now;
                            return personChanges + keys.size();
                        }));
    }

    private Uni<Integer> recomputeEach(List<Person> due, int index, int published) {
        if (index == due.size()) {
            return Uni.createFrom().item(published);
        }
        Person stale = due.get(index);
        long before = stale.identityRevision();
        return Panache.withTransaction(() -> status.recompute(stale.id(), false))
                .map(fresh -> {
                    if (fresh.identityRevision() == before) {
                        return 0;
                    }
                    changes.person(fresh.id(), fresh.identityRevision(), fresh.updateTime());
                    sessions.endFor(fresh.id(), "evidence expired");
                    return 1;
                })
                .flatMap(n -> recomputeEach(due, index + 1, published + n));
    }
}
