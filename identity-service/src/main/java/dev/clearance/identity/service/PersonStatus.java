package dev.clearance.identity.service;

import dev.clearance.identity.changes.IdentityChanges;
import dev.clearance.identity.domain.DerivedStatus;
import dev.clearance.identity.domain.Person;
import dev.clearance.identity.domain.UsPersonStatusDerivation;
import dev.clearance.identity.domain.Verification;
import dev.clearance.identity.keycloak.KeycloakSessions;
import dev.clearance.identity.mapping.IdentityMapping;
import dev.clearance.identity.repository.PersonRepository;
import dev.clearance.identity.repository.VerificationRepository;
import dev.clearance.identity.validation.ResourceIds;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps a person's stored status equal to the derivation from their evidence: recomputed on
 * every evidence change, and again when the person's recompute time has passed (expiry is not an
 * event, so it is caught on the next read). Each recompute first moves verified evidence whose
 * expiry has passed to EXPIRED, so the stored history says when it stopped counting.
 */
@ApplicationScoped
public class PersonStatus {

    private final PersonRepository persons;
    private final VerificationRepository verifications;
    private final DatabaseClock clock;
    private final IdentityChanges changes;
    private final KeycloakSessions sessions;

    /** Expiry is a write by the service itself: one change row per expired evidence, in the recompute's transaction. */
    @Inject
    ChangeLog changeLog;

    @Inject
    public PersonStatus(PersonRepository persons, VerificationRepository verifications, DatabaseClock clock,
                        IdentityChanges changes, KeycloakSessions sessions) {
        this.persons = persons;
        this.verifications = verifications;
        this.clock = clock;
        this.changes = changes;
        this.sessions = sessions;
    }

    /**
     * Recomputes under a row lock. Must run inside a transaction. The person must exist.
     *
     * @param evidenceChanged bump the revision even if the status is unchanged
     */
    public Uni<Person> recompute(String personId, boolean evidenceChanged) {
        Instant now = clock.now();
        return persons.lockForUpdate(personId)
                .flatMap(person -> verifications.forPerson(personId).flatMap(all -> {
                    Uni<Void> logged = Uni.createFrom().voidItem();
                    for (Verification v : all) {
                        if (!v.expiryDue(now)) {
                            continue;
                        }
                        var before = IdentityMapping.toProto(v);
                        Instant expired = v.expireTime();
                        v.expireIfDue(now);
                        var after = IdentityMapping.toProto(v);
                        logged = logged.call(() -> changeLog.record(ChangeLog.SYSTEM,
                                ResourceIds.verificationName(personId, v.id()), ChangeLog.EXPIRE, before, after,
                                "expired at " + expired));
                    }
                    DerivedStatus derived = UsPersonStatusDerivation.derive(
                            all.stream().map(Verification::toEvidence).toList(), now);
                    person.apply(derived, evidenceChanged, now);
                    return logged.replaceWith(person);
                }));
    }

    /** The person as they are now: recomputed first if their recompute time has passed. */
    public Uni<Person> current(Person person) {
        if (!person.isStatusStaleAt(clock.now())) {
            return Uni.createFrom().item(person);
        }
        long before = person.identityRevision();
        return Panache.withTransaction(() -> recompute(person.id(), false)).invoke(fresh -> {
            // Expiry noticed on read: tell routers and end sessions, like the sweep does.
            if (fresh.identityRevision() != before) {
                changes.person(fresh.id(), fresh.identityRevision(), fresh.updateTime());
                sessions.endFor(fresh.id(), "evidence expired");
            }
        });
    }

    /** Each of the persons as they are now. */
    public Uni<List<Person>> current(List<Person> people) {
        if (people.stream().noneMatch(p -> p.isStatusStaleAt(clock.now()))) {
            return Uni.createFrom().item(people);
        }
        Uni<List<Person>> result = Uni.createFrom().item(List.of());
        for (Person p : people) {
            result = result.flatMap(done -> current(p).map(fresh -> append(done, fresh)));
        }
        return result;
    }

    private static <T> List<T> append(List<T> list, T item) {
        var copy = new ArrayList<>(list);
        copy.add(item);
        return List.copyOf(copy);
    }
}
