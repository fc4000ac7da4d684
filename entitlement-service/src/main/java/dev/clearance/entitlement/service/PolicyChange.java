package dev.clearance.entitlement.service;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Timestamp;
import dev.clearance.entitlement.v1.Directive;
import dev.clearance.entitlement.v1.PolicySnapshot;

import java.util.Base64;
import java.util.List;

/**
 * What one committed revision changed in the snapshot, when a write can say it exactly: one directive
 * now reads {@code directive} in the snapshot, or (null) is no longer in it. Carried by the write's
 * NOTIFY, so every replica holding the revision just before can publish this one without re-reading
 * the whole policy from PostgreSQL (the full re-read was most of the time from a directive's commit to
 * the routers). Anything else (a gap in revisions, another country-group table, a payload that did
 * not fit) falls back to the full rebuild.
 *
 * <p>Payload: {@code "<revision> directive <id> <base64 of the snapshot's Directive>"}, or
 * {@code "... <id> -"} when the directive left the snapshot; a plain {@code "<revision>"} names no change.
 */
public record PolicyChange(long revision, String directiveId, Directive directive) {

    /** PostgreSQL refuses NOTIFY payloads of 8000 bytes or more; a larger change is announced by revision only. */
    static final int MAX_PAYLOAD = 7900;

    private static final String DIRECTIVE = "directive";

    public PolicyChange {
        if (revision <= 0 || directiveId == null || directiveId.isEmpty() || directiveId.indexOf(' ') >= 0) {
            throw new IllegalArgumentException("a policy change names a revision and a directive id");
        }
    }

    /** The NOTIFY payload: the change when it fits, else the revision alone. */
    public String payload() {
        String plain = Long.toString(revision);
        String body = directive == null ? "-" : Base64.getEncoder().encodeToString(directive.toByteArray());
        String full = plain + " " + DIRECTIVE + " " + directiveId + " " + body;
        return full.length() < MAX_PAYLOAD ? full : plain;
    }

    /** The change a payload carries, or null (a plain revision, or anything this replica cannot read). */
    public static PolicyChange parse(String payload) {
        if (payload == null) {
            return null;
        }
        String[] parts = payload.strip().split(" ");
        if (parts.length != 4 || !DIRECTIVE.equals(parts[1])) {
            return null;
        }
        try {
            long revision = Long.parseLong(parts[0]);
            Directive directive = parts[3].equals("-") ? null : Directive.parseFrom(Base64.getDecoder().decode(parts[3]));
            return new PolicyChange(revision, parts[2], directive);
        } catch (InvalidProtocolBufferException | IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * The snapshot of {@link #revision} from the one just before it, or null when {@code held} is not
     * exactly that one or was expanded with another country-group table than this change's directive.
     * Directives stay ordered by name, as {@code SnapshotMapping} orders them.
     */
    public PolicySnapshot applyTo(PolicySnapshot held, Timestamp compileTime) {
        if (held == null || held.getRevision() != revision - 1) {
            return null;
        }
        if (directive != null && !directive.getCountryGroupsIssueDate().equals(held.getCountryGroupsIssueDate())) {
            return null;
        }
        String name = "directives/" + directiveId;
        PolicySnapshot.Builder next = held.toBuilder().setRevision(revision).setCompileTime(compileTime);
        List<Directive> directives = next.getDirectivesList();
        int at = 0;
        while (at < directives.size() && directives.get(at).getName().compareTo(name) < 0) {
            at++;
        }
        boolean present = at < directives.size() && directives.get(at).getName().equals(name);
        if (directive == null) {
            if (present) {
                next.removeDirectives(at);
            }
        } else if (present) {
            next.setDirectives(at, directive);
        } else {
            next.addDirectives(at, directive);
        }
        return next.build();
    }
}
