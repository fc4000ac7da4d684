package dev.clearance.entitlement.service;

import com.google.protobuf.FieldMask;
import com.google.protobuf.Message;
import com.google.protobuf.util.FieldMaskUtil;
import dev.clearance.api.ApiError;
import dev.clearance.entitlement.domain.Attribution;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;

import static dev.clearance.entitlement.EntitlementErrors.failedPrecondition;
import static dev.clearance.entitlement.EntitlementErrors.notFound;

/**
 * The shape every admin write shares: one policy write (revision bump first, so writers are
 * serialised and an etag compared here cannot change before commit), the stored resource read
 * and checked, the change applied, and the change log row, all in one transaction.
 */
@ApplicationScoped
public class ResourceWrites {

    private static final FieldMaskUtil.MergeOptions REPLACE = new FieldMaskUtil.MergeOptions()
            .setReplaceRepeatedFields(true).setReplaceMessageFields(true).setReplacePrimitiveFields(true);

    private final PolicyWrites writes;
    private final ChangeLog changes;

    public ResourceWrites(PolicyWrites writes, ChangeLog changes) {
        this.writes = writes;
        this.changes = changes;
    }

    /** @param work stores the resource and returns it as the client sees it (its name included) */
    public <P extends Message> Uni<P> create(Attribution by, Function<Long, Uni<P>> work) {
        return writes.write(revision -> work.apply(revision)
                .call(created -> changes.record(by, revision, name(created), ChangeLog.CREATE, null, created)));
    }

    /**
     * @param name      the resource, already checked for shape
     * @param requested the request's resource; fields named in {@code mask} replace the stored ones
     * @param load      the stored resource, or null
     * @param store     checks the merged resource against stored data (failing with
     *                  INVALID_ARGUMENT rolls everything back), writes it, bumps the row version
     *                  and returns the stored state after the write
     */
    public <S, P extends Message> Uni<P> update(Attribution by, String name, P requested, FieldMask mask,
                                                Supplier<Uni<S>> load, Function<S, P> toProto,
                                                BiFunction<S, P, Uni<S>> store) {
        return writes.write(revision -> load.get().chain(stored -> {
            if (stored == null) {
                return Uni.createFrom().failure(notFound(name).toException());
            }
            P before = toProto.apply(stored);
            Etags.check(name, etag(requested), Long.parseLong(etag(before)));
            Message.Builder merged = before.toBuilder();
            FieldMaskUtil.merge(mask, requested, merged, REPLACE);
            @SuppressWarnings("unchecked")
            P candidate = (P) merged.build();
            return store.apply(stored, candidate)
                    .call(() -> Panache.getSession().chain(s -> s.flush()))
                    .map(toProto)
                    .call(after -> changes.record(by, revision, name, ChangeLog.UPDATE, before, after));
        }));
    }

    /**
     * @param referrers what still names the resource; any → FAILED_PRECONDITION listing them
     * @param remove    deletes the resource and the rows it owns
     */
    public <S, P extends Message> Uni<Void> delete(Attribution by, String name, String etag, Supplier<Uni<S>> load,
                                                   Function<S, P> toProto, Function<S, Uni<List<String>>> referrers,
                                                   Function<S, Uni<Void>> remove) {
        return writes.write(revision -> load.get().chain(stored -> {
            if (stored == null) {
                return Uni.createFrom().failure(notFound(name).toException());
            }
            P before = toProto.apply(stored);
            Etags.check(name, etag, Long.parseLong(etag(before)));
            return referrers.apply(stored).chain(refs -> {
                if (!refs.isEmpty()) {
                    return Uni.createFrom().failure(stillReferenced(name, refs).toException());
                }
                return remove.apply(stored)
                        .call(() -> changes.record(by, revision, name, ChangeLog.DELETE, before, null));
            });
        }));
    }

    static ApiError stillReferenced(String name, List<String> refs) {
        ApiError error = failedPrecondition(name + " is still referred to by " + String.join(", ", refs))
                .put("resource", name).put("referrers", String.join(",", refs));
        for (String ref : refs) {
            error.precondition("REFERENCED", ref, ref + " refers to " + name);
        }
        return error;
    }

    private static String name(Message m) {
        return (String) m.getField(m.getDescriptorForType().findFieldByName("name"));
    }

    private static String etag(Message m) {
        return (String) m.getField(m.getDescriptorForType().findFieldByName("etag"));
    }
}
