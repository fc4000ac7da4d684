package dev.clearance.entitlement.repository;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;

/**
 * What refers to a resource about to be deleted, as resource names. Model patterns refer to a
 * version or alias only when they name it exactly (a prefix such as {@code fable-*} names none).
 */
@ApplicationScoped
public class References {

    private static final int MAX = 100;

    /** To a model version or alias id. */
    public Uni<List<String>> toModel(String id) {
        List<String> found = new ArrayList<>();
        return names(found, "select 'aliases/' || a.id from ModelAliasEntity a where a.targetVersion = :v order by a.id", id)
                .chain(() -> names(found, "select 'tiers/' || p.owner from TierModelPatternEntity p where p.pattern = :v order by p.owner", id))
                .chain(() -> names(found, "select 'programmes/' || p.owner from ProgrammeModelPatternEntity p where p.pattern = :v order by p.owner", id))
                .chain(() -> names(found, "select 'grants/' || p.owner from GrantModelPatternEntity p where p.pattern = :v order by p.owner", id))
                .chain(() -> names(found, "select 'licences/' || p.owner from LicenceModelPatternEntity p where p.pattern = :v order by p.owner", id))
                .chain(() -> names(found, "select 'directives/' || s.owner from DirectiveScopeEntity s where s.fromVersion = :v order by s.owner", id))
                .replaceWith(found);
    }

    public Uni<List<String>> toFamily(String id) {
        List<String> found = new ArrayList<>();
        return names(found, "select 'families/' || v.familyId || '/versions/' || v.id from ModelVersionEntity v where v.familyId = :v order by v.ordinal", id)
                .chain(() -> names(found, "select 'directives/' || s.owner from DirectiveScopeEntity s where s.familyId = :v order by s.owner", id))
                .replaceWith(found);
    }

    public Uni<List<String>> toTier(String id) {
        List<String> found = new ArrayList<>();
        return names(found, "select 'subscriptions/' || s.id from SubscriptionEntity s where s.tierId = :v order by s.id", id)
                .replaceWith(found);
    }

    public Uni<List<String>> toProgramme(String id) {
        List<String> found = new ArrayList<>();
        String name = "programmes/" + id;
        return names(found, "select 'programmes/' || m.programmeId || '/memberships/' || m.id from ProgrammeMembershipEntity m where m.programmeId = :v order by m.id", id)
                .chain(() -> names(found, "select 'grants/' || g.id from GrantEntity g where g.grantee = :v order by g.id", name))
                .chain(() -> carveOuts(found, name))
                .replaceWith(found);
    }

    public Uni<List<String>> toLicence(String id) {
        List<String> found = new ArrayList<>();
        return carveOuts(found, "licences/" + id).replaceWith(found);
    }

    private Uni<Void> carveOuts(List<String> found, String target) {
        return names(found, "select distinct 'directives/' || c.owner from DirectiveCarveOutEntity c where c.target = :v", target);
    }

    private static Uni<Void> names(List<String> found, String hql, String value) {
        if (found.size() >= MAX) {
            return Uni.createFrom().voidItem();
        }
        return Panache.getSession().chain(s -> s.createSelectionQuery(hql, String.class)
                        .setParameter("v", value).setMaxResults(MAX - found.size()).getResultList())
                .invoke(found::addAll).replaceWithVoid();
    }
}
