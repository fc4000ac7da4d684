package dev.clearance.entitlement.service;

import dev.clearance.entitlement.domain.GrantEntity;
import dev.clearance.entitlement.domain.StoredGrant;
import dev.clearance.entitlement.mapping.EntitlementMapping;
import dev.clearance.entitlement.mapping.TimeMapping;
import dev.clearance.entitlement.repository.GrantRepository;
import dev.clearance.entitlement.repository.ProgrammeRepository;
import dev.clearance.entitlement.v1.CreateGrantRequest;
import dev.clearance.entitlement.v1.Grant;
import dev.clearance.entitlement.validation.EntitlementRequests;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.UUID;

import static dev.clearance.entitlement.EntitlementErrors.invalid;

/** Direct grants of models to a person, organisation or programme. */
@ApplicationScoped
public class GrantService {

    private static final String PROGRAMMES = "programmes/";

    private final GrantRepository grants;
    private final ProgrammeRepository programmes;
    private final PolicyWrites writes;

    public GrantService(GrantRepository grants, ProgrammeRepository programmes, PolicyWrites writes) {
        this.grants = grants;
        this.programmes = programmes;
        this.writes = writes;
    }

    public Uni<Grant> create(CreateGrantRequest r) {
        EntitlementRequests.check(r);
        Grant g = r.getGrant();
        return writes.write(revision -> programmeExists(g.getGrantee()).chain(exists -> {
            if (!exists) {
                // Persons and organisations live in identity-service; programmes are ours to check.
                return Uni.createFrom().failure(invalid()
                        .violation("grant.grantee", g.getGrantee() + " does not exist").toException());
            }
            GrantEntity e = new GrantEntity();
            e.id = UUID.randomUUID().toString();
            e.grantee = g.getGrantee();
            e.startTime = g.hasStartTime() ? TimeMapping.toInstant(g.getStartTime()) : null;
            e.endTime = g.hasEndTime() ? TimeMapping.toInstant(g.getEndTime()) : null;
            e.reason = g.getReason();
            e.createTime = TimeMapping.now();
            return grants.create(e, g.getModelPatternsList())
                    .map(x -> EntitlementMapping.toProto(new StoredGrant(e, g.getModelPatternsList())));
        }));
    }

    private Uni<Boolean> programmeExists(String grantee) {
        if (!grantee.startsWith(PROGRAMMES)) {
            return Uni.createFrom().item(true);
        }
        return programmes.findById(grantee.substring(PROGRAMMES.length())).map(p -> p != null);
    }
}
