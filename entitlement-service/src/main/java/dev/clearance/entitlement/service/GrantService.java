package dev.clearance.entitlement.service;

import dev.clearance.api.ApiError;
import dev.clearance.entitlement.domain.Attribution;
import dev.clearance.entitlement.domain.GrantEntity;
import dev.clearance.entitlement.domain.StoredGrant;
import dev.clearance.entitlement.mapping.EntitlementMapping;
import dev.clearance.entitlement.mapping.TimeMapping;
import dev.clearance.entitlement.repository.GrantRepository;
import dev.clearance.entitlement.repository.ProgrammeRepository;
import dev.clearance.entitlement.v1.CreateGrantRequest;
import dev.clearance.entitlement.v1.DeleteGrantRequest;
import dev.clearance.entitlement.v1.Grant;
import dev.clearance.entitlement.v1.ListGrantsRequest;
import dev.clearance.entitlement.v1.UpdateGrantRequest;
import dev.clearance.entitlement.validation.EntitlementRequests;
import dev.clearance.entitlement.validation.PageRequest;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.UUID;

import static dev.clearance.entitlement.EntitlementErrors.invalid;
import static dev.clearance.entitlement.service.CatalogueService.found;

/** Direct grants of models to a person, organisation or programme. */
@ApplicationScoped
public class GrantService {

    private static final String PROGRAMMES = "programmes/";

    private final GrantRepository grants;
    private final ProgrammeRepository programmes;
    private final ResourceWrites writes;

    public GrantService(GrantRepository grants, ProgrammeRepository programmes, ResourceWrites writes) {
        this.grants = grants;
        this.programmes = programmes;
        this.writes = writes;
    }

    public Uni<Grant> create(CreateGrantRequest r, String actor) {
        EntitlementRequests.check(r);
        Grant g = r.getGrant();
        return writes.create(new Attribution(actor, r.getReason()), revision -> programmeExists(g.getGrantee()).chain(exists -> {
            if (!exists) {
                // Persons and organisations live in identity-service; programmes are ours to check.
                return Uni.createFrom().failure(invalid()
                        .violation("grant.grantee", g.getGrantee() + " does not exist").toException());
            }
            GrantEntity e = new GrantEntity();
            e.id = UUID.randomUUID().toString();
            e.grantee = g.getGrantee();
            apply(e, g);
            e.createTime = TimeMapping.now();
            return grants.create(e, g.getModelPatternsList())
                    .map(x -> EntitlementMapping.toProto(new StoredGrant(e, g.getModelPatternsList())));
        }));
    }

    public Uni<Grant> get(String name) {
        String id = EntitlementRequests.name("name", name, "grants");
        return Panache.withSession(() -> grants.findStored(id)).map(g -> found(name, g, EntitlementMapping::toProto));
    }

    public Uni<Page<Grant>> list(ListGrantsRequest r) {
        ApiError errors = invalid();
        PageRequest page = PageRequest.parse(errors, r.getPageSize(), r.getPageToken(), "grants");
        errors.throwIfViolations();
        return Panache.withSession(() -> grants.page(page.after(), page.fetchSize()))
                .map(rows -> Page.of(rows, page, "grants", g -> g.grant().id).map(EntitlementMapping::toProto));
    }

    /** Models, validity and reason may change; the grantee may not (delete and grant anew). */
    public Uni<Grant> update(UpdateGrantRequest r, String actor) {
        String id = EntitlementRequests.update("grant.name", r.getGrant().getName(), "grants", r.getUpdateMask(),
                EntitlementRequests.GRANT_FIELDS);
        return writes.update(new Attribution(actor, r.getReason()), r.getGrant().getName(), r.getGrant(), r.getUpdateMask(),
                () -> grants.findStored(id), EntitlementMapping::toProto, (stored, merged) -> {
                    EntitlementRequests.check(CreateGrantRequest.newBuilder().setGrant(merged).build());
                    GrantEntity e = stored.grant();
                    apply(e, merged);
                    e.rowVersion++;
                    return grants.replacePatterns(id, merged.getModelPatternsList())
                            .map(x -> new StoredGrant(e, merged.getModelPatternsList()));
                });
    }

    public Uni<Void> delete(DeleteGrantRequest r, String actor) {
        String id = EntitlementRequests.name("name", r.getName(), "grants");
        return writes.delete(new Attribution(actor, r.getReason()), r.getName(), r.getEtag(), () -> grants.findStored(id),
                EntitlementMapping::toProto, g -> Uni.createFrom().item(List.of()), g -> grants.deleteStored(g.grant()));
    }

    private static void apply(GrantEntity e, Grant g) {
        e.startTime = g.hasStartTime() ? TimeMapping.toInstant(g.getStartTime()) : null;
        e.endTime = g.hasEndTime() ? TimeMapping.toInstant(g.getEndTime()) : null;
        e.reason = g.getReason();
    }

    private Uni<Boolean> programmeExists(String grantee) {
        if (!grantee.startsWith(PROGRAMMES)) {
            return Uni.createFrom().item(true);
        }
        return programmes.findById(grantee.substring(PROGRAMMES.length())).map(p -> p != null);
    }
}
