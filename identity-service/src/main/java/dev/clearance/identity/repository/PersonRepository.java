package dev.clearance.identity.repository;

import dev.clearance.identity.domain.Person;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import java.util.List;

@ApplicationScoped
public class PersonRepository implements PanacheRepositoryBase<Person, String> {

    public Uni<Person> findWithStatus(String id) {
        return findById(id);
    }

    public Uni<Person> findBySubject(String subject) {
        return find("subject", subject).firstResult();
    }

    /** Locks the row for the rest of the transaction so concurrent status updates serialise. */
    public Uni<Person> lockForUpdate(String id) {
        return find("from Person p where p.id = ?1", id).withLock(LockModeType.PESSIMISTIC_WRITE).firstResult();
    }

    /**
     * Bumps the revision of every member of an organisation: their caller identity carries the
     * organisation's screening status. A bulk update: callers must not hold those persons dirty.
     */
    public Uni<Integer> bumpMembers(String organisationId, java.time.Instant now) {
        return update("identityRevision = identityRevision + 1, updateTime = ?1 where organisationId = ?2",
                now, organisationId);
    }

    public Uni<Boolean> subjectTaken(String subject) {
        return count("subject", subject).map(n -> n > 0);
    }

    /** Keyset page: ids after {@code afterId} (null = from the start), in id order. */
    public Uni<List<Person>> page(String afterId, int limit) {
        var query = afterId == null
                ? find("from Person p order by p.id")
                : find("from Person p where p.id > ?1 order by p.id", afterId);
        return query.range(0, limit - 1).list();
    }
}
