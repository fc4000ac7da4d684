package dev.clearance.entitlement.service;

import dev.clearance.entitlement.domain.LicenceEntity;
import dev.clearance.entitlement.domain.StoredLicence;
import dev.clearance.entitlement.mapping.EntitlementMapping;
import dev.clearance.entitlement.mapping.TimeMapping;
import dev.clearance.entitlement.repository.LicenceRepository;
import dev.clearance.entitlement.v1.CreateLicenceRequest;
import dev.clearance.entitlement.v1.Licence;
import dev.clearance.entitlement.validation.EntitlementRequests;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.UUID;

/** Export licences naming persons and models. */
@ApplicationScoped
public class LicenceService {

    private final LicenceRepository licences;
    private final PolicyWrites writes;

    public LicenceService(LicenceRepository licences, PolicyWrites writes) {
        this.licences = licences;
        this.writes = writes;
    }

    public Uni<Licence> create(CreateLicenceRequest r) {
        EntitlementRequests.check(r);
        Licence l = r.getLicence();
        LicenceEntity e = new LicenceEntity();
        e.id = UUID.randomUUID().toString();
        e.kind = EntitlementMapping.kind(l.getKind());
        e.reference = l.getReference();
        e.holder = l.getHolder().isEmpty() ? null : l.getHolder();
        e.startTime = l.hasStartTime() ? TimeMapping.toInstant(l.getStartTime()) : null;
        e.endTime = l.hasEndTime() ? TimeMapping.toInstant(l.getEndTime()) : null;
        e.createTime = TimeMapping.now();
        return writes.write(revision -> licences.create(e, l.getNamedPersonsList(), l.getModelPatternsList())
                .map(x -> EntitlementMapping.toProto(
                        new StoredLicence(e, l.getNamedPersonsList(), l.getModelPatternsList()))));
    }
}
