package dev.clearance.entitlement.service;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import dev.clearance.api.ApiError;
import dev.clearance.common.v1.Change;
import dev.clearance.entitlement.domain.Attribution;
import dev.clearance.entitlement.domain.ChangeEntity;
import dev.clearance.entitlement.mapping.TimeMapping;
import dev.clearance.entitlement.repository.ChangeRepository;
import dev.clearance.entitlement.v1.ListChangesRequest;
import dev.clearance.entitlement.validation.Fields;
import dev.clearance.entitlement.validation.PageRequest;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;

import static dev.clearance.entitlement.EntitlementErrors.invalid;

/**
 * The change log: every admin write records itself here inside its own transaction (so a write
 * that fails, validation included, leaves no row), and ListChanges reads it back newest first.
 */
@ApplicationScoped
public class ChangeLog {

    public static final String CREATE = "CREATE";
    public static final String UPDATE = "UPDATE";
    public static final String DELETE = "DELETE";

    private static final JsonFormat.Printer JSON = JsonFormat.printer()
            .preservingProtoFieldNames().omittingInsignificantWhitespace();

    private final ChangeRepository changes;

    public ChangeLog(ChangeRepository changes) {
        this.changes = changes;
    }

    /**
     * Records a write in the current transaction.
     *
     * @param before null for a create
     * @param after  null for a delete
     */
    public Uni<Void> record(Attribution by, long revision, String resource, String action, Message before, Message after) {
        return changes.persist(entry(by, revision, resource, action, before, after)).replaceWithVoid();
    }

    /** The row {@link #record} writes, for a write that stores it itself (a directive step, see {@code PolicyWrites#pipelined}). */
    public static ChangeEntity entry(Attribution by, long revision, String resource, String action, Message before,
                                     Message after) {
        ChangeEntity c = new ChangeEntity();
        c.changeTime = TimeMapping.now();
        c.actor = by.actor();
        c.resource = resource;
        c.action = action;
        c.before = json(before);
        c.after = json(after);
        c.reason = by.reason();
        c.policyRevision = revision;
        return c;
    }

    public Uni<Page<Change>> list(ListChangesRequest r) {
        ApiError errors = invalid();
        // The filters are part of the list a page token is bound to (no line breaks: the token's separator).
        String query = "changes?actor=" + r.getActor() + "&resource=" + r.getResource()
                + "&start=" + (r.hasStartTime() ? r.getStartTime().getSeconds() + "." + r.getStartTime().getNanos() : "")
                + "&end=" + (r.hasEndTime() ? r.getEndTime().getSeconds() + "." + r.getEndTime().getNanos() : "");
        PageRequest page = PageRequest.parse(errors, r.getPageSize(), r.getPageToken(), query);
        Long before = null;
        if (page.after() != null) {
            try {
                before = Long.parseLong(page.after());
            } catch (NumberFormatException e) {
                errors.violation("page_token", "is not a page token of this list");
            }
        }
        Fields.maxLength(errors, "actor", r.getActor(), 256);
        Fields.maxLength(errors, "resource", r.getResource(), 300);
        Fields.interval(errors, "start_time", r.hasStartTime(), r.getStartTime(), "end_time", r.hasEndTime(), r.getEndTime());
        errors.throwIfViolations();
        String resource = r.getResource();
        String exact = resource.isEmpty() || resource.endsWith("*") ? null : resource;
        String prefix = resource.endsWith("*") ? likeEscaped(resource.substring(0, resource.length() - 1)) : null;
        Instant from = r.hasStartTime() ? TimeMapping.toInstant(r.getStartTime()) : null;
        Instant until = r.hasEndTime() ? TimeMapping.toInstant(r.getEndTime()) : null;
        String actor = r.getActor().isEmpty() ? null : r.getActor();
        Long beforeId = before;
        return Panache.withSession(() -> changes.page(beforeId, actor, exact, prefix, from, until, page.fetchSize()))
                .map(rows -> Page.of(rows, page, query, c -> Long.toString(c.id)).map(ChangeLog::toProto));
    }

    static Change toProto(ChangeEntity c) {
        return Change.newBuilder()
                .setName("changes/" + c.id)
                .setActor(c.actor)
                .setChangeTime(TimeMapping.toTimestamp(c.changeTime))
                .setResource(c.resource)
                .setAction(c.action)
                .setBefore(c.before == null ? "" : c.before)
                .setAfter(c.after == null ? "" : c.after)
                .setReason(c.reason)
                .setPolicyRevision(c.policyRevision)
                .build();
    }

    private static String likeEscaped(String s) {
        return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    private static String json(Message m) {
        if (m == null) {
            return null;
        }
        try {
            return JSON.print(m);
        } catch (InvalidProtocolBufferException e) {
            // Only Any fields with unknown types fail to print; our resources have none.
            throw new IllegalStateException(e);
        }
    }
}
