package dev.clearance.entitlement.repository;

import dev.clearance.entitlement.domain.AssuranceLevel;
import dev.clearance.entitlement.domain.CarveOutKind;
import dev.clearance.entitlement.domain.ChangeEntity;
import dev.clearance.entitlement.domain.CitizenshipMode;
import dev.clearance.entitlement.domain.DirectiveCarveOutEntity;
import dev.clearance.entitlement.domain.DirectiveEntity;
import dev.clearance.entitlement.domain.DirectiveScopeEntity;
import dev.clearance.entitlement.domain.DirectiveState;
import dev.clearance.entitlement.domain.DirectiveSubjectEntity;
import dev.clearance.entitlement.domain.DirectiveTransitionEntity;
import dev.clearance.entitlement.domain.StoredDirective;
import dev.clearance.entitlement.domain.SubjectCodeKind;
import dev.clearance.entitlement.domain.SubjectKind;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The statements of one directive lifecycle step (shadow, enforce, approve, suspend, revoke) in plain
 * SQL on a pool connection rather than through a Hibernate session, so that they can be pipelined: a
 * step is the write an officer waits on while a directive goes live, and through Hibernate it took
 * eleven sequential round trips (bump, the directive, each of its three child tables, the transition,
 * the change log, the flushed update, the NOTIFY, begin and commit). Here the reads go in one round
 * trip behind the bump and the writes in one with the NOTIFY ({@code PolicyWrites#pipelined}).
 *
 * <p>The rows are the ones the JPA entities map; {@code DirectiveStepRepositoryTest} checks that a
 * directive read here is the one Hibernate reads, and a step written here the one it then reads back.
 */
@ApplicationScoped
public class DirectiveStepRepository {

    private final String directiveSql;
    private final String childrenSql;
    private final String updateSql;
    private final String transitionSql;
    private final String changeSql;

    public DirectiveStepRepository(@ConfigProperty(name = "clearance.db.schema") String schema) {
        if (!schema.matches("[a-z_][a-z0-9_]{0,62}")) {
            throw new IllegalArgumentException("clearance.db.schema must be a lower-case SQL identifier: " + schema);
        }
        this.directiveSql = "SELECT * FROM " + schema + ".directive WHERE id = $1";
        // The three child tables share their shape: (directive, position, two texts).
        this.childrenSql = "SELECT 'scope' AS part, position, family_id AS first, from_version AS second FROM "
                + schema + ".directive_scope WHERE directive_id = $1"
                + " UNION ALL SELECT 'subject', position, kind, code FROM " + schema + ".directive_subject"
                + " WHERE directive_id = $1"
                + " UNION ALL SELECT 'carve_out', position, kind, target FROM " + schema + ".directive_carve_out"
                + " WHERE directive_id = $1"
                + " ORDER BY 1, 2";
        // What a step may change; what the directive says (scope, subjects, times) it never does.
        this.updateSql = "UPDATE " + schema + ".directive SET state = $2, update_time = $3,"
                + " country_groups_issue_date = $4, pending_requester = $5, pending_requester_subject = $6,"
                + " pending_request_time = $7, pending_reason = $8, emergency_enforcer = $9,"
                + " emergency_enforcer_subject = $10, emergency_enforce_time = $11, emergency_reason = $12,"
                + " emergency_confirm_deadline = $13, emergency_confirmer = $14, emergency_confirm_time = $15"
                + " WHERE id = $1";
        this.transitionSql = "INSERT INTO " + schema + ".directive_transition (directive_id, action, from_state,"
                + " to_state, actor, transition_time, reason, policy_revision) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
        this.changeSql = "INSERT INTO " + schema + ".change_log (change_time, actor, resource, action, before_json,"
                + " after_json, reason, policy_revision) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
    }

    /**
     * The directive with its child rows (null when there is none), in two statements sent together:
     * subscribe to it right behind the revision bump and all three travel in one round trip.
     */
    public Uni<StoredDirective> find(SqlConnection c, String id) {
        Uni<RowSet<Row>> directive = c.preparedQuery(directiveSql).execute(Tuple.of(id));
        Uni<RowSet<Row>> children = c.preparedQuery(childrenSql).execute(Tuple.of(id));
        return Uni.combine().all().unis(directive, children).with((d, rows) -> {
            if (d.size() == 0) {
                return null;
            }
            DirectiveEntity e = directive(d.iterator().next());
            List<DirectiveScopeEntity> scope = new ArrayList<>();
            List<DirectiveSubjectEntity> subjects = new ArrayList<>();
            List<DirectiveCarveOutEntity> carveOuts = new ArrayList<>();
            for (Row r : rows) {
                int position = r.getInteger("position");
                String first = r.getString("first");
                String second = r.getString("second");
                switch (r.getString("part")) {
                    case "scope" -> scope.add(new DirectiveScopeEntity(id, position, first, second));
                    case "subject" -> subjects.add(new DirectiveSubjectEntity(id, position, SubjectCodeKind.valueOf(first), second));
                    default -> carveOuts.add(new DirectiveCarveOutEntity(id, position, CarveOutKind.valueOf(first), second));
                }
            }
            return new StoredDirective(e, scope, subjects, carveOuts);
        });
    }

    /**
     * The step's writes, sent together: the directive's changed state, its transition row and its
     * change-log row. Subscribe to the NOTIFY right behind them and all travel in one round trip.
     */
    public Uni<Void> store(SqlConnection c, DirectiveEntity d, DirectiveTransitionEntity t, ChangeEntity change) {
        Uni<RowSet<Row>> update = c.preparedQuery(updateSql).execute(Tuple.tuple()
                .addString(d.id).addString(name(d.state)).addOffsetDateTime(time(d.updateTime))
                .addString(d.countryGroupsIssueDate)
                .addString(d.pendingRequester).addString(d.pendingRequesterSubject)
                .addOffsetDateTime(time(d.pendingRequestTime)).addString(d.pendingReason)
                .addString(d.emergencyEnforcer).addString(d.emergencyEnforcerSubject)
                .addOffsetDateTime(time(d.emergencyEnforceTime)).addString(d.emergencyReason)
                .addOffsetDateTime(time(d.emergencyConfirmDeadline)).addString(d.emergencyConfirmer)
                .addOffsetDateTime(time(d.emergencyConfirmTime)));
        Uni<RowSet<Row>> transition = c.preparedQuery(transitionSql).execute(Tuple.tuple()
                .addString(t.directiveId).addString(name(t.action)).addString(name(t.fromState))
                .addString(name(t.toState)).addString(t.actor).addOffsetDateTime(time(t.transitionTime))
                .addString(t.reason).addLong(t.policyRevision));
        Uni<RowSet<Row>> logged = c.preparedQuery(changeSql).execute(Tuple.tuple()
                .addOffsetDateTime(time(change.changeTime)).addString(change.actor).addString(change.resource)
                .addString(change.action).addString(change.before).addString(change.after)
                .addString(change.reason).addLong(change.policyRevision));
        return Uni.combine().all().unis(update, transition, logged).with((u, ignored, alsoIgnored) -> {
            if (u.rowCount() != 1) {
                // The bump's row lock serialises writers, so the row read just before is still there.
                throw new IllegalStateException("directive " + d.id + " was not updated");
            }
            return null;
        });
    }

    private static DirectiveEntity directive(Row r) {
        DirectiveEntity d = new DirectiveEntity();
        d.id = r.getString("id");
        d.issuer = r.getString("issuer");
        d.reference = r.getString("reference");
        d.citation = r.getString("citation");
        d.receiveTime = instant(r, "receive_time");
        d.effectiveTime = instant(r, "effective_time");
        d.expireTime = instant(r, "expire_time");
        d.subjectKind = value(r, "subject_kind", SubjectKind::valueOf);
        d.citizenshipMode = value(r, "citizenship_mode", CitizenshipMode::valueOf);
        d.minimumAssurance = value(r, "minimum_assurance", AssuranceLevel::valueOf);
        d.maximumEvidenceAgeSeconds = r.getLong("maximum_evidence_age_seconds");
        d.state = value(r, "state", DirectiveState::valueOf);
        d.createTime = instant(r, "create_time");
        d.updateTime = instant(r, "update_time");
        d.pendingRequester = r.getString("pending_requester");
        d.pendingRequesterSubject = r.getString("pending_requester_subject");
        d.pendingRequestTime = instant(r, "pending_request_time");
        d.pendingReason = r.getString("pending_reason");
        d.emergencyEnforcer = r.getString("emergency_enforcer");
        d.emergencyEnforcerSubject = r.getString("emergency_enforcer_subject");
        d.emergencyEnforceTime = instant(r, "emergency_enforce_time");
        d.emergencyReason = r.getString("emergency_reason");
        d.emergencyConfirmDeadline = instant(r, "emergency_confirm_deadline");
        d.emergencyConfirmer = r.getString("emergency_confirmer");
        d.emergencyConfirmTime = instant(r, "emergency_confirm_time");
        d.countryGroupsIssueDate = r.getString("country_groups_issue_date");
        return d;
    }

    private static <E> E value(Row r, String column, Function<String, E> parse) {
        String text = r.getString(column);
        return text == null ? null : parse.apply(text);
    }

    private static Instant instant(Row r, String column) {
        OffsetDateTime value = r.getOffsetDateTime(column);
        return value == null ? null : value.toInstant();
    }

    private static OffsetDateTime time(Instant i) {
        return i == null ? null : OffsetDateTime.ofInstant(i, ZoneOffset.UTC);
    }

    private static String name(Enum<?> e) {
        return e == null ? null : e.name();
    }
}
