package dev.clearance.identity.service;

import dev.clearance.api.ApiError;
import dev.clearance.identity.ErrorDomain;
import dev.clearance.identity.domain.Verification;
import dev.clearance.identity.repository.PersonRepository;
import dev.clearance.identity.repository.VerificationRepository;
import dev.clearance.identity.validation.ResourceIds;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.UUID;

@ApplicationScoped
public class VerificationService {

    private final PersonRepository persons;
    private final VerificationRepository verifications;
    private final PersonStatus status;
    private final DatabaseClock clock;

    @Inject
    public VerificationService(PersonRepository persons, VerificationRepository verifications, PersonStatus status,
                               DatabaseClock clock) {
        this.persons = persons;
        this.verifications = verifications;
        this.status = status;
        this.clock = clock;
    }

    /**
     * Stores the evidence and recomputes the person's status in one transaction: nobody can
     * observe the evidence without its effect, or the effect without the evidence. The
     * revision is bumped even when the status stays the same.
     */
    @WithTransaction
    public Uni<RecordedVerification> record(NewVerification request) {
        return persons.lockForUpdate(request.personId())
                .flatMap(person -> {
                    if (person == null) {
                        throw ApiError.notFound(ErrorDomain.IDENTITY,
                                ResourceIds.name(ResourceIds.PERSONS, request.personId())).toException();
                    }
                    Verification verification = new Verification(UUID.randomUUID().toString(), request.personId(),
                            request.citizenships(), request.immigrationStatus(), request.assuranceLevel(),
                            request.verifyTime(), request.expireTime(), request.evidenceReference(), clock.now());
                    return verifications.persistAndFlush(verification)
                            .flatMap(stored -> status.recompute(request.personId(), true)
                                    .map(updated -> new RecordedVerification(stored, updated)));
                });
    }
}
