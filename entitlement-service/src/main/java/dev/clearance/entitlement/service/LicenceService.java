package dev.clearance.entitlement.service;

import dev.clearance.api.ApiError;
import dev.clearance.entitlement.domain.Attribution;
import dev.clearance.entitlement.domain.LicenceEntity;
import dev.clearance.entitlement.domain.StoredLicence;
import dev.clearance.entitlement.mapping.EntitlementMapping;
import dev.clearance.entitlement.mapping.TimeMapping;
import dev.clearance.entitlement.repository.LicenceRepository;
import dev.clearance.entitlement.repository.References;
import dev.clearance.entitlement.v1.CreateLicenceRequest;
import dev.clearance.entitlement.v1.DeleteLicenceRequest;
import dev.clearance.entitlement.v1.Licence;
import dev.clearance.entitlement.v1.ListLicencesRequest;
import dev.clearance.entitlement.v1.UpdateLicenceRequest;
import dev.clearance.entitlement.validation.EntitlementRequests;
import dev.clearance.entitlement.validation.PageRequest;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.UUID;

import static dev.clearance.entitlement.EntitlementErrors.invalid;
import static dev.clearance.entitlement.service.CatalogueService.found;

/** Export licences naming persons and models. */
@ApplicationScoped
public class LicenceService {

    private final LicenceRepository licences;
    private final References references;
    private final ResourceWrites writes;

    public LicenceService(LicenceRepository licences, References references, ResourceWrites writes) {
        this.licences = licences;
        this.references = references;
        this.writes = writes;
    }

    public Uni<Licence> create(CreateLicenceRequest r, String actor) {
        EntitlementRequests.check(r);
        Licence l = r.getLicence();
        LicenceEntity e = new LicenceEntity();
        e.id = UUID.randomUUID().toString();
        apply(e, l);
        e.createTime = TimeMapping.now();
        return writes.create(new Attribution(actor, r.getReason()),
                revision -> licences.create(e, l.getNamedPersonsList(), l.getModelPatternsList())
                        .map(x -> EntitlementMapping.toProto(
                                new StoredLicence(e, l.getNamedPersonsList(), l.getModelPatternsList()))));
    }

    public Uni<Licence> get(String name) {
        String id = EntitlementRequests.name("name", name, "licences");
        return Panache.withSession(() -> licences.findStored(id)).map(l -> found(name, l, EntitlementMapping::toProto));
    }

    public Uni<Page<Licence>> list(ListLicencesRequest r) {
        ApiError errors = invalid();
        PageRequest page = PageRequest.parse(errors, r.getPageSize(), r.getPageToken(), "licences");
        errors.throwIfViolations();
        return Panache.withSession(() -> licences.page(page.after(), page.fetchSize()))
                .map(rows -> Page.of(rows, page, "licences", l -> l.licence().id).map(EntitlementMapping::toProto));
    }

    public Uni<Licence> update(UpdateLicenceRequest r, String actor) {
        String id = EntitlementRequests.update("licence.name", r.getLicence().getName(), "licences", r.getUpdateMask(),
                EntitlementRequests.LICENCE_FIELDS);
        return writes.update(new Attribution(actor, r.getReason()), r.getLicence().getName(), r.getLicence(),
                r.getUpdateMask(), () -> licences.findStored(id), EntitlementMapping::toProto, (stored, merged) -> {
                    EntitlementRequests.check(CreateLicenceRequest.newBuilder().setLicence(merged).build());
                    LicenceEntity e = stored.licence();
                    apply(e, merged);
                    e.rowVersion++;
                    return licences.replaceChildren(id, merged.getNamedPersonsList(), merged.getModelPatternsList())
                            .map(x -> new StoredLicence(e, merged.getNamedPersonsList(), merged.getModelPatternsList()));
                });
    }

    /** Refused while a directive carve-out names the licence. */
    public Uni<Void> delete(DeleteLicenceRequest r, String actor) {
        String id = EntitlementRequests.name("name", r.getName(), "licences");
        return writes.delete(new Attribution(actor, r.getReason()), r.getName(), r.getEtag(), () -> licences.findStored(id),
                EntitlementMapping::toProto, l -> references.toLicence(id), l -> licences.deleteStored(l.licence()));
    }

    private static void apply(LicenceEntity e, Licence l) {
        e.kind = EntitlementMapping.kind(l.getKind());
        e.reference = l.getReference();
        e.holder = l.getHolder().isEmpty() ? null : l.getHolder();
        e.startTime = l.hasStartTime() ? TimeMapping.toInstant(l.getStartTime()) : null;
        e.endTime = l.hasEndTime() ? TimeMapping.toInstant(l.getEndTime()) : null;
    }
}
