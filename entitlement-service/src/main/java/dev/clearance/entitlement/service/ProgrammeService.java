package dev.clearance.entitlement.service;

import dev.clearance.api.ApiError;
import dev.clearance.entitlement.domain.Attribution;
import dev.clearance.entitlement.domain.ProgrammeEntity;
import dev.clearance.entitlement.domain.ProgrammeMembershipEntity;
import dev.clearance.entitlement.domain.StoredProgramme;
import dev.clearance.entitlement.mapping.EntitlementMapping;
import dev.clearance.entitlement.mapping.TimeMapping;
import dev.clearance.entitlement.repository.ProgrammeMembershipRepository;
import dev.clearance.entitlement.repository.ProgrammeRepository;
import dev.clearance.entitlement.repository.References;
import dev.clearance.entitlement.v1.CreateProgrammeMembershipRequest;
import dev.clearance.entitlement.v1.CreateProgrammeRequest;
import dev.clearance.entitlement.v1.DeleteProgrammeMembershipRequest;
import dev.clearance.entitlement.v1.DeleteProgrammeRequest;
import dev.clearance.entitlement.v1.ListProgrammeMembershipsRequest;
import dev.clearance.entitlement.v1.ListProgrammesRequest;
import dev.clearance.entitlement.v1.Programme;
import dev.clearance.entitlement.v1.ProgrammeMembership;
import dev.clearance.entitlement.v1.UpdateProgrammeRequest;
import dev.clearance.entitlement.validation.EntitlementRequests;
import dev.clearance.entitlement.validation.Fields;
import dev.clearance.entitlement.validation.PageRequest;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.UUID;

import static dev.clearance.entitlement.EntitlementErrors.alreadyExists;
import static dev.clearance.entitlement.EntitlementErrors.invalid;
import static dev.clearance.entitlement.EntitlementErrors.notFound;
import static dev.clearance.entitlement.service.CatalogueService.found;

/** Vetted programmes and their members. */
@ApplicationScoped
public class ProgrammeService {

    private final ProgrammeRepository programmes;
    private final ProgrammeMembershipRepository memberships;
    private final References references;
    private final ResourceWrites writes;

    public ProgrammeService(ProgrammeRepository programmes, ProgrammeMembershipRepository memberships,
                            References references, ResourceWrites writes) {
        this.programmes = programmes;
        this.memberships = memberships;
        this.references = references;
        this.writes = writes;
    }

    public Uni<Programme> create(CreateProgrammeRequest r, String actor) {
        EntitlementRequests.check(r);
        String id = r.getProgrammeId();
        return writes.create(new Attribution(actor, r.getReason()), revision -> programmes.findById(id).chain(existing -> {
            if (existing != null) {
                return Uni.createFrom().failure(alreadyExists("programmes/" + id).toException());
            }
            ProgrammeEntity p = new ProgrammeEntity();
            p.id = id;
            p.description = r.getProgramme().getDescription();
            p.createTime = TimeMapping.now();
            return programmes.create(p, r.getProgramme().getModelPatternsList())
                    .map(x -> EntitlementMapping.toProto(new StoredProgramme(p, r.getProgramme().getModelPatternsList())));
        }));
    }

    public Uni<Programme> get(String name) {
        String id = EntitlementRequests.name("name", name, "programmes");
        return Panache.withSession(() -> programmes.findStored(id)).map(p -> found(name, p, EntitlementMapping::toProto));
    }

    public Uni<Page<Programme>> list(ListProgrammesRequest r) {
        ApiError errors = invalid();
        PageRequest page = PageRequest.parse(errors, r.getPageSize(), r.getPageToken(), "programmes");
        errors.throwIfViolations();
        return Panache.withSession(() -> programmes.page(page.after(), page.fetchSize()))
                .map(rows -> Page.of(rows, page, "programmes", p -> p.programme().id).map(EntitlementMapping::toProto));
    }

    public Uni<Programme> update(UpdateProgrammeRequest r, String actor) {
        String id = EntitlementRequests.update("programme.name", r.getProgramme().getName(), "programmes",
                r.getUpdateMask(), EntitlementRequests.PROGRAMME_FIELDS);
        return writes.update(new Attribution(actor, r.getReason()), r.getProgramme().getName(), r.getProgramme(),
                r.getUpdateMask(), () -> programmes.findStored(id), EntitlementMapping::toProto, (stored, merged) -> {
                    EntitlementRequests.check(CreateProgrammeRequest.newBuilder().setProgrammeId(id).setProgramme(merged).build());
                    ProgrammeEntity p = stored.programme();
                    p.description = merged.getDescription();
                    p.rowVersion++;
                    return programmes.replacePatterns(id, merged.getModelPatternsList())
                            .map(x -> new StoredProgramme(p, merged.getModelPatternsList()));
                });
    }

    /** Refused while members, grants or directive carve-outs name the programme: remove those first. */
    public Uni<Void> delete(DeleteProgrammeRequest r, String actor) {
        String id = EntitlementRequests.name("name", r.getName(), "programmes");
        return writes.delete(new Attribution(actor, r.getReason()), r.getName(), r.getEtag(), () -> programmes.findStored(id),
                EntitlementMapping::toProto, p -> references.toProgramme(id), p -> programmes.deleteStored(p.programme()));
    }

    // Memberships ---------------------------------------------------------------------------

    public Uni<ProgrammeMembership> addMember(CreateProgrammeMembershipRequest r, String actor) {
        String programmeId = EntitlementRequests.check(r);
        String member = r.getMembership().getMember();
        return writes.create(new Attribution(actor, r.getReason()), revision -> programmes.findById(programmeId).chain(programme -> {
            if (programme == null) {
                return Uni.createFrom().failure(invalid()
                        .violation("parent", r.getParent() + " does not exist").toException());
            }
            return memberships.find(programmeId, member).chain(existing -> {
                if (existing != null) {
                    return Uni.createFrom().failure(alreadyExists(r.getParent() + "/memberships/" + existing.id)
                            .put("member", member).toException());
                }
                ProgrammeMembershipEntity m = new ProgrammeMembershipEntity();
                m.id = UUID.randomUUID().toString();
                m.programmeId = programmeId;
                m.member = member;
                m.createTime = TimeMapping.now();
                return memberships.persist(m).map(EntitlementMapping::toProto);
            });
        }));
    }

    public Uni<ProgrammeMembership> getMember(String name) {
        String[] ids = EntitlementRequests.membershipName("name", name);
        return Panache.withSession(() -> membership(ids)).map(m -> found(name, m, EntitlementMapping::toProto));
    }

    public Uni<Page<ProgrammeMembership>> listMembers(ListProgrammeMembershipsRequest r) {
        ApiError errors = invalid();
        String programmeId = Fields.resourceId(errors, "parent", r.getParent(), "programmes");
        String query = r.getParent() + "/memberships";
        PageRequest page = PageRequest.parse(errors, r.getPageSize(), r.getPageToken(), query);
        errors.throwIfViolations();
        return Panache.withSession(() -> programmes.findById(programmeId).chain(p -> p == null
                        ? Uni.createFrom().<List<ProgrammeMembershipEntity>>failure(notFound(r.getParent()).toException())
                        : memberships.page(programmeId, page.after(), page.fetchSize())))
                .map(rows -> Page.of(rows, page, query, m -> m.id).map(EntitlementMapping::toProto));
    }

    public Uni<Void> removeMember(DeleteProgrammeMembershipRequest r, String actor) {
        String[] ids = EntitlementRequests.membershipName("name", r.getName());
        return writes.delete(new Attribution(actor, r.getReason()), r.getName(), r.getEtag(), () -> membership(ids),
                EntitlementMapping::toProto, m -> Uni.createFrom().item(List.of()), m -> memberships.delete(m));
    }

    private Uni<ProgrammeMembershipEntity> membership(String[] programmeAndMembership) {
        return memberships.findById(programmeAndMembership[1])
                .map(m -> m != null && m.programmeId.equals(programmeAndMembership[0]) ? m : null);
    }
}
