package dev.clearance.identity.keycloak;

import dev.clearance.identity.repository.PersonRepository;
import dev.clearance.identity.service.BackgroundContext;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Ends a person's Keycloak sessions when their status became more restrictive (evidence revoked
 * or expired, screening hit), so no refresh token keeps a session alive on the old status. Called
 * after the change committed; never delays or fails the change itself. A logout Keycloak did not
 * take (down, refused) is kept and retried after the next successful sync.
 */
@ApplicationScoped
public class KeycloakSessions {

    private static final Logger LOG = Logger.getLogger(KeycloakSessions.class);

    private final KeycloakAdmin admin;
    private final KeycloakSyncConfig config;
    private final PersonRepository persons;
    private final Vertx vertx;
    private final Set<String> pending = ConcurrentHashMap.newKeySet();

    @Inject
    public KeycloakSessions(KeycloakAdmin admin, KeycloakSyncConfig config, PersonRepository persons, Vertx vertx) {
        this.admin = admin;
        this.config = config;
        this.persons = persons;
        this.vertx = vertx;
    }

    /** Fire and forget: ends the sessions of each person linked to a Keycloak user. */
    public void endFor(List<String> personIds, String why) {
        if (!admin.configured() || !config.sync().endSessions() || personIds.isEmpty()) {
            return;
        }
        for (String personId : personIds) {
            BackgroundContext.run(vertx, () -> endNow(personId)).subscribe().with(
                    subject -> {
                        if (subject != null) {
                            LOG.infof("ended the Keycloak sessions of persons/%s (%s)", personId, why);
                        }
                    },
                    failure -> {
                        pending.add(personId);
                        LOG.warnf("could not end the Keycloak sessions of persons/%s (%s): %s; retried after the next "
                                + "successful sync", personId, why, KeycloakSync.describe(failure));
                    });
        }
    }

    public void endFor(String personId, String why) {
        endFor(List.of(personId), why);
    }

    /** Ends the sessions of every member of an organisation. */
    public void endForMembers(String organisationId, String why) {
        if (!admin.configured() || !config.sync().endSessions()) {
            return;
        }
        BackgroundContext.run(vertx, () -> Panache.withSession(() -> persons.list("organisationId", organisationId)))
                .subscribe().with(
                        members -> endFor(members.stream().map(p -> p.id()).toList(), why),
                        failure -> LOG.warnf("could not list the members of organisations/%s to end their sessions: %s",
                                organisationId, failure.getMessage()));
    }

    /** Logouts that failed earlier; called after a successful sync (Keycloak answers again). */
    void retryPending() {
        if (pending.isEmpty()) {
            return;
        }
        List<String> again = List.copyOf(pending);
        pending.removeAll(again);
        endFor(again, "retry");
    }

    public int pendingCount() {
        return pending.size();
    }

    /** The subject logged out, or null when the person is not linked to a Keycloak user. */
    private Uni<String> endNow(String personId) {
        return Panache.withSession(() -> persons.findById(personId))
                .flatMap(person -> person == null || person.subject() == null
                        ? Uni.createFrom().nullItem()
                        : admin.logout(person.subject()).replaceWith(person.subject()));
    }
}
