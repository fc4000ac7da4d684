package dev.clearance.identity.service;

import com.google.rpc.Code;
import dev.clearance.api.ApiError;
import dev.clearance.common.v1.ErrorReason;
import dev.clearance.identity.ErrorDomain;
import dev.clearance.identity.mapping.IdentityMapping;
import dev.clearance.identity.domain.NewEvidence;
import dev.clearance.identity.domain.Person;
import dev.clearance.identity.domain.Verification;
import dev.clearance.identity.repository.PersonRepository;
import dev.clearance.identity.repository.VerificationRepository;
import dev.clearance.identity.validation.Paging;
import dev.clearance.identity.validation.ResourceIds;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.List;
import java.util.UUID;

/** Evidence: record, revoke, read. Every change recomputes the person's status in the same transaction. */
@ApplicationScoped
public class VerificationService {

    private final PersonRepository persons;
    private final VerificationRepository verifications;
    private final PersonStatus status;
    private final DatabaseClock clock;

    /** The change log; a field so the constructor stays as other work expects it. */
    @Inject
    ChangeLog changeLog;

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
    public Uni<RecordedVerification> record(String personId, NewEvidence evidence) {
        return persons.lockForUpdate(personId)
                .flatMap(person -> {
                    if (person == null) {
                        throw ApiError.notFound(ErrorDomain.IDENTITY, ResourceIds.name(ResourceIds.PERSONS, personId))
                                .toException();
                    }
                    return recordLocked(personId, evidence);
                })
                // Evidence attestation through the API; the vendors' webhooks call recordLocked.
                .call(recorded -> changeLog.record(evidence.actor(),
                        ResourceIds.verificationName(personId, recorded.verification().id()), ChangeLog.CREATE, null,
                        IdentityMapping.toProto(recorded.verification()), evidence.reason()));
    }

    /** {@link #record} for a caller that holds the transaction and has checked the person exists. */
    public Uni<RecordedVerification> recordLocked(String personId, NewEvidence evidence) {
        Verification verification = new Verification(UUID.randomUUID().toString(), personId, evidence, clock.now());
        return verifications.persistAndFlush(verification)
                .flatMap(stored -> status.recompute(personId, true)
                        .map(updated -> new RecordedVerification(stored, updated)));
    }

    /**
     * Revokes verified or expired evidence with actor and reason, then recomputes. Revoking
     * rejected or already revoked evidence is FAILED_PRECONDITION: the first revocation stays
     * the one on record.
     */
    @WithTransaction
    public Uni<RecordedVerification> revoke(String personId, String verificationId, String actor, String reason) {
        String name = ResourceIds.verificationName(personId, verificationId);
        return persons.lockForUpdate(personId)
                .flatMap(person -> person == null
                        ? Uni.createFrom().<Verification>nullItem()
                        : verifications.findForPerson(personId, verificationId))
                .flatMap(verification -> {
                    if (verification == null) {
                        throw ApiError.notFound(ErrorDomain.IDENTITY, name).toException();
                    }
                    if (!verification.canBeRevoked()) {
                        throw ApiError.of(Code.FAILED_PRECONDITION, ErrorReason.ERROR_REASON_FAILED_PRECONDITION,
                                        ErrorDomain.IDENTITY, name + " is " + verification.state()
                                                + "; only VERIFIED or EXPIRED evidence can be revoked")
                                .put("resource", name)
                                .put("state", verification.state().name())
                                .toException();
                    }
                    var before = IdentityMapping.toProto(verification);
                    verification.revoke(actor, reason, clock.now());
                    return verifications.flush()
                            .call(() -> changeLog.record(actor, name, ChangeLog.REVOKE, before,
                                    IdentityMapping.toProto(verification), reason))
                            .flatMap(ignored -> status.recompute(personId, true))
                            .map(person -> new RecordedVerification(verification, person));
                });
    }

    @WithSession
    public Uni<Verification> get(String personId, String verificationId) {
        return verifications.findForPerson(personId, verificationId).map(found -> {
            if (found == null) {
                throw ApiError.notFound(ErrorDomain.IDENTITY, ResourceIds.verificationName(personId, verificationId))
                        .toException();
            }
            return found;
        });
    }

    /** Newest first; the page token carries the last row's create time and id. */
    @WithSession
    public Uni<PageOf<Verification>> list(String personId, Paging.Page page) {
        VerificationPosition after = page.afterId() == null ? null : VerificationPosition.parse(page.afterId());
        return persons.findById(personId)
                .flatMap(person -> {
                    if (person == null) {
                        throw ApiError.notFound(ErrorDomain.IDENTITY, ResourceIds.name(ResourceIds.PERSONS, personId))
                                .toException();
                    }
                    return verifications.page(personId, after == null ? null : after.createTime(),
                            after == null ? null : after.id(), page.size() + 1);
                })
                .map(rows -> {
                    if (rows.size() <= page.size()) {
                        return new PageOf<>(List.copyOf(rows), "");
                    }
                    List<Verification> items = List.copyOf(rows.subList(0, page.size()));
                    Verification last = items.get(items.size() - 1);
                    return new PageOf<>(items, Paging.token(ResourceIds.verificationsOf(personId),
                            VerificationPosition.of(last).format()));
                });
    }

    /** Exposed for callers that already hold a person (webhooks). */
    public Uni<Person> recompute(String personId) {
        return status.recompute(personId, true);
    }
}
