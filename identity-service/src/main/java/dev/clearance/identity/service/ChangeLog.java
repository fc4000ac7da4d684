package dev.clearance.identity.service;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import dev.clearance.api.ApiError;
import dev.clearance.api.mapping.Timestamps;
import dev.clearance.common.v1.Change;
import dev.clearance.identity.ErrorDomain;
import dev.clearance.identity.domain.ChangeEntry;
import dev.clearance.identity.repository.ChangeRepository;
import dev.clearance.identity.v1.ListChangesRequest;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

/**
 * identity-service's change log: each write records itself here inside its own transaction (a
 * write that fails leaves no row); ListChanges reads it back newest first. Officer writes carry the
 * token's {@code username (subject)}; the service's own writes carry a reserved actor:
 * {@link #SYSTEM} (evidence expiry, screening list reloads), {@link #KEYCLOAK_SYNC} (the Keycloak
 * sync) and {@code vendor:<vendor>} (KYC webhooks). Resources are logged as the API shows them, so
 * API key secrets (never part of an ApiKey) never are.
 */
@ApplicationScoped
public class ChangeLog {

    public static final String CREATE = "CREATE";
    public static final String UPDATE = "UPDATE";
    public static final String REVOKE = "REVOKE";
    public static final String ROTATE = "ROTATE";
    /** An officer's decision on a screening match (the after state says which). */
    public static final String RESOLVE = "RESOLVE";
    /** Evidence whose expire time passed (actor {@link #SYSTEM}). */
    public static final String EXPIRE = "EXPIRE";

    /** The service itself: evidence expiry, screening list reloads. */
    public static final String SYSTEM = "system";
    /** The Keycloak sync's imports, links, renames and membership changes. */
    public static final String KEYCLOAK_SYNC = "system:keycloak-sync";

    private static final int DEFAULT_PAGE_SIZE = 50;
    private static final int MAX_PAGE_SIZE = 1000;
    private static final JsonFormat.Printer JSON = JsonFormat.printer()
            .preservingProtoFieldNames().omittingInsignificantWhitespace();

    private final ChangeRepository changes;
    private final DatabaseClock clock;

    public ChangeLog(ChangeRepository changes, DatabaseClock clock) {
        this.changes = changes;
        this.clock = clock;
    }

    /** One page of changes and the token of the next ("" on the last). */
    public record ChangePage(List<Change> changes, String nextPageToken) {
    }

    /** Records a write in the caller's transaction; {@code before} is null for a create. */
    public Uni<Void> record(String actor, String resource, String action, Message before, Message after, String reason) {
        ChangeEntry c = new ChangeEntry();
        c.changeTime = clock.now();
        c.actor = actor;
        c.resource = resource;
        c.action = action;
        c.before = json(before);
        c.after = json(after);
        c.reason = reason == null ? "" : reason;
        return changes.persist(c).replaceWithVoid();
    }

    @WithSession
    public Uni<ChangePage> list(ListChangesRequest r) {
        ApiError errors = ApiError.invalidArgument(ErrorDomain.IDENTITY);
        // The filters are part of the list a page token is bound to.
        String query = "changes?actor=" + r.getActor() + "&resource=" + r.getResource()
                + "&start=" + (r.hasStartTime() ? r.getStartTime().getSeconds() + "." + r.getStartTime().getNanos() : "")
                + "&end=" + (r.hasEndTime() ? r.getEndTime().getSeconds() + "." + r.getEndTime().getNanos() : "");
        if (r.getPageSize() < 0) {
            errors.violation("page_size", "must not be negative");
        }
        int size = r.getPageSize() == 0 ? DEFAULT_PAGE_SIZE : Math.min(r.getPageSize(), MAX_PAGE_SIZE);
        Long beforeId = null;
        if (!r.getPageToken().isEmpty()) {
            beforeId = decode(query, r.getPageToken());
            if (beforeId == null) {
                errors.violation("page_token", "is not a page token of this list; pass the next_page_token you were given");
            }
        }
        if (r.getActor().length() > 256) {
            errors.violation("actor", "must be at most 256 characters");
        }
        if (r.getResource().length() > 300) {
            errors.violation("resource", "must be at most 300 characters");
        }
        Instant from = r.hasStartTime() ? Timestamps.toInstant(r.getStartTime()) : null;
        Instant until = r.hasEndTime() ? Timestamps.toInstant(r.getEndTime()) : null;
        if (from != null && until != null && !from.isBefore(until)) {
            errors.violation("end_time", "must be after start_time");
        }
        errors.throwIfViolations();
        String resource = r.getResource();
        String exact = resource.isEmpty() || resource.endsWith("*") ? null : resource;
        String prefix = resource.endsWith("*") ? likeEscaped(resource.substring(0, resource.length() - 1)) : null;
        String actor = r.getActor().isEmpty() ? null : r.getActor();
        return changes.page(beforeId, actor, exact, prefix, from, until, size + 1).map(rows -> {
            List<ChangeEntry> items = rows.size() > size ? rows.subList(0, size) : rows;
            String next = rows.size() > size ? encode(query, items.get(items.size() - 1).id) : "";
            return new ChangePage(items.stream().map(ChangeLog::toProto).toList(), next);
        });
    }

    static Change toProto(ChangeEntry c) {
        return Change.newBuilder()
                .setName("changes/" + c.id)
                .setActor(c.actor)
                .setChangeTime(Timestamps.toTimestamp(c.changeTime))
                .setResource(c.resource)
                .setAction(c.action)
                .setBefore(c.before == null ? "" : c.before)
                .setAfter(c.after == null ? "" : c.after)
                .setReason(c.reason)
                .build();
    }

    private static String encode(String query, long lastId) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((query + "\n" + lastId).getBytes(StandardCharsets.UTF_8));
    }

    private static Long decode(String query, String token) {
        try {
            String text = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            int cut = text.lastIndexOf('\n');
            if (cut < 0 || !text.substring(0, cut).equals(query)) {
                return null;
            }
            return Long.parseLong(text.substring(cut + 1));
        } catch (IllegalArgumentException e) {
            return null;
        }
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
            throw new IllegalStateException(e);
        }
    }
}
