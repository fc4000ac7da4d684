package dev.clearance.entitlement.repository;

import dev.clearance.entitlement.domain.CountryGroupTableEntity;
import dev.clearance.entitlement.domain.DirectiveState;
import dev.clearance.entitlement.domain.SubjectCodeKind;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.LocalDate;
import java.util.List;

@ApplicationScoped
public class CountryGroupTableRepository implements PanacheRepositoryBase<CountryGroupTableEntity, LocalDate> {

    /** The loaded tables dated on or before {@code day}, newest first: the candidates to be in force. */
    public Uni<List<CountryGroupTableEntity>> dueNewestFirst(LocalDate day) {
        return list("effectiveDate <= :day", Sort.descending("effectiveDate"), Parameters.with("day", day));
    }

    /** The loaded tables dated after {@code day}, which will come into force later. */
    public Uni<List<CountryGroupTableEntity>> datedAfter(LocalDate day) {
        return list("effectiveDate > :day", Sort.ascending("effectiveDate"), Parameters.with("day", day));
    }

    /** Newest first, up to {@code limit} tables dated before {@code before} (null: from the newest). */
    public Uni<List<CountryGroupTableEntity>> page(LocalDate before, int limit) {
        if (before == null) {
            return findAll(Sort.descending("effectiveDate")).range(0, limit - 1).list();
        }
        return find("effectiveDate < :before", Sort.descending("effectiveDate"), Parameters.with("before", before))
                .range(0, limit - 1).list();
    }

    /** Whether a loaded table has reached its date without a revision having published it. */
    public Uni<Boolean> anyDueUnpublished(LocalDate today) {
        return count("effectiveDate <= :today and activationRevision is null", Parameters.with("today", today))
                .map(n -> n > 0);
    }

    /** Tables dated {@code today} or earlier that no revision has published yet (managed: set their revision). */
    public Uni<List<CountryGroupTableEntity>> dueUnpublished(LocalDate today) {
        return list("effectiveDate <= :today and activationRevision is null", Parameters.with("today", today));
    }

    /**
     * Records on every directive in a snapshot (SHADOW or ENFORCED) that it is now evaluated against
     * the table of {@code issueDate}, in the write that brings that table into force.
     */
    public Uni<Integer> directivesEvaluatedAgainst(LocalDate issueDate) {
        return Panache.getSession().chain(s -> s.createMutationQuery("update DirectiveEntity d"
                        + " set d.countryGroupsIssueDate = :date where d.state in (:shadow, :enforced)")
                .setParameter("date", issueDate.toString())
                .setParameter("shadow", DirectiveState.SHADOW)
                .setParameter("enforced", DirectiveState.ENFORCED)
                .executeUpdate());
    }

    /**
     * (group label, directive id) for every EAR country group a directive still in play (any state
     * but REVOKED) names: a new table must keep them, or no snapshot could be built with it.
     */
    public Uni<List<Object[]>> groupsNamedByDirectives() {
        return Panache.getSession().chain(s -> s.createSelectionQuery(
                        "select ds.code, d.id from DirectiveSubjectEntity ds, DirectiveEntity d"
                                + " where d.id = ds.owner and ds.kind = :kind and d.state <> :revoked"
                                + " order by ds.code, d.id", Object[].class)
                .setParameter("kind", SubjectCodeKind.COUNTRY_GROUP)
                .setParameter("revoked", DirectiveState.REVOKED)
                .getResultList());
    }
}
