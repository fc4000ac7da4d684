package dev.clearance.entitlement.service;

import dev.clearance.entitlement.domain.ProgrammeEntity;
import dev.clearance.entitlement.domain.ProgrammeMembershipEntity;
import dev.clearance.entitlement.domain.StoredProgramme;
import dev.clearance.entitlement.mapping.EntitlementMapping;
import dev.clearance.entitlement.mapping.TimeMapping;
import dev.clearance.entitlement.repository.ProgrammeMembershipRepository;
import dev.clearance.entitlement.repository.ProgrammeRepository;
import dev.clearance.entitlement.v1.CreateProgrammeMembershipRequest;
import dev.clearance.entitlement.v1.CreateProgrammeRequest;
import dev.clearance.entitlement.v1.Programme;
import dev.clearance.entitlement.v1.ProgrammeMembership;
import dev.clearance.entitlement.validation.EntitlementRequests;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.UUID;

import static dev.clearance.entitlement.EntitlementErrors.alreadyExists;
import static dev.clearance.entitlement.EntitlementErrors.invalid;

/** Vetted programmes and their members. */
@ApplicationScoped
public class ProgrammeService {

    private final ProgrammeRepository programmes;
    private final ProgrammeMembershipRepository memberships;
    private final PolicyWrites writes;

    public ProgrammeService(ProgrammeRepository programmes, ProgrammeMembershipRepository memberships,
                            PolicyWrites writes) {
        this.programmes = programmes;
        this.memberships = memberships;
        this.writes = writes;
    }

    public Uni<Programme> create(CreateProgrammeRequest r) {
        EntitlementRequests.check(r);
        String id = r.getProgrammeId();
        return writes.write(revision -> programmes.findById(id).chain(existing -> {
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

    public Uni<ProgrammeMembership> addMember(CreateProgrammeMembershipRequest r) {
        String programmeId = EntitlementRequests.check(r);
        String member = r.getMembership().getMember();
        return writes.write(revision -> programmes.findById(programmeId).chain(programme -> {
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
}
