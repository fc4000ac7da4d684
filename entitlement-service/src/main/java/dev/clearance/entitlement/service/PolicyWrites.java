package dev.clearance.entitlement.service;

import dev.clearance.entitlement.repository.PolicyRevisionRepository;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.function.Function;

/**
 * The only way the policy is written: one transaction that first bumps the revision, then
 * does the work; after it commits (never inside it) the new snapshot is rebuilt and published.
 * Bumping first takes the revision row lock, so writers run one at a time and the existence
 * checks inside {@code work} cannot race another writer.
 */
@ApplicationScoped
public class PolicyWrites {

    private final PolicyRevisionRepository revisions;
    private final PolicyPublisher publisher;

    public PolicyWrites(PolicyRevisionRepository revisions, PolicyPublisher publisher) {
        this.revisions = revisions;
        this.publisher = publisher;
    }

    /**
     * @param work given the new revision; failing it (validation, not found, ...) rolls back
     *             the bump with everything else
     */
    public <T> Uni<T> write(Function<Long, Uni<T>> work) {
        return Panache.withTransaction(() -> revisions.bump().chain(revision -> work.apply(revision)))
                .call(publisher::publishAfterCommit);
    }
}
