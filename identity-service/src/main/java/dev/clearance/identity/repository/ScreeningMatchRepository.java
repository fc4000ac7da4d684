package dev.clearance.identity.repository;

import dev.clearance.identity.domain.ScreeningMatch;
import dev.clearance.identity.domain.ScreeningMatch.SubjectType;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Collection;
import java.util.List;

@ApplicationScoped
public class ScreeningMatchRepository implements PanacheRepositoryBase<ScreeningMatch, String> {

    public Uni<List<ScreeningMatch>> forSubject(SubjectType type, String subjectId) {
        return list("from ScreeningMatch m where m.subjectType = ?1 and m.subjectId = ?2", type, subjectId);
    }

    public Uni<List<ScreeningMatch>> forSubjects(SubjectType type, Collection<String> subjectIds) {
        if (subjectIds.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return list("from ScreeningMatch m where m.subjectType = ?1 and m.subjectId in ?2", type, subjectIds);
    }

    /** Oldest first after {@code afterSeq}; {@code type}/{@code subjectId} null for every subject. */
    public Uni<List<ScreeningMatch>> page(ScreeningMatch.State state, SubjectType type, String subjectId, long afterSeq,
                                          int limit) {
        var query = type == null
                ? find("from ScreeningMatch m where m.state = ?1 and m.seq > ?2 order by m.seq", state, afterSeq)
                : find("from ScreeningMatch m where m.state = ?1 and m.seq > ?2 and m.subjectType = ?3"
                        + " and m.subjectId = ?4 order by m.seq", state, afterSeq, type, subjectId);
        return query.range(0, limit - 1).list();
    }
}
