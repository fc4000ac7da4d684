package dev.clearance.identity.repository;

import dev.clearance.identity.domain.Person;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import java.util.List;

/** Persons are always loaded with their deciding verification, whose citizenships they show. */
@ApplicationScoped
public class PersonRepository implements PanacheRepositoryBase<Person, String> {

    private static final String WITH_STATUS = "from Person p left join fetch p.decidingVerification ";

    public Uni<Person> findWithStatus(String id) {
        return find(WITH_STATUS + "where p.id = ?1", id).firstResult();
    }

    public Uni<Person> findBySubject(String subject) {
        return find(WITH_STATUS + "where p.subject = ?1", subject).firstResult();
    }

    /** Locks the row for the rest of the transaction so concurrent status updates serialise. */
    public Uni<Person> lockForUpdate(String id) {
        return find("from Person p where p.id = ?1", id).withLock(LockModeType.PESSIMISTIC_WRITE).firstResult();
    }

    public Uni<Boolean> subjectTaken(String subject) {
        return count("subject", subject).map(n -> n > 0);
    }

    /** Keyset page: ids after {@code afterId} (null = from the start), in id order. */
    public Uni<List<Person>> page(String afterId, int limit) {
        var query = afterId == null
                ? find(WITH_STATUS + "order by p.id")
                : find(WITH_STATUS + "where p.id > ?1 order by p.id", afterId);
        return query.range(0, limit - 1).list();
    }
}
