package dev.clearance.identity.webhook;

import dev.clearance.identity.domain.KycVendor;
import dev.clearance.identity.domain.NewEvidence;
import dev.clearance.identity.domain.VerificationMethod;
import dev.clearance.identity.domain.VerificationState;
import dev.clearance.identity.domain.Verification;
import dev.clearance.identity.domain.WebhookEvent;
import dev.clearance.identity.mapping.IdentityMapping;
import dev.clearance.identity.repository.PersonRepository;
import dev.clearance.identity.repository.VerificationRepository;
import dev.clearance.identity.repository.WebhookEventRepository;
import dev.clearance.identity.service.ChangeLog;
import dev.clearance.identity.service.DatabaseClock;
import dev.clearance.identity.service.PersonStatus;
import dev.clearance.identity.service.VerificationService;
import dev.clearance.identity.validation.ResourceIds;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Turns a verified vendor event into evidence. One transaction per delivery: the event row (whose
 * unique (vendor, event id) makes a redelivery a no-op), the evidence and the recomputed status
 * commit together or not at all.
 *
 * <p>One piece of evidence per vendor report. A later event about the same report changes its
 * state rather than adding evidence: a negative decision revokes verified evidence (for example
 * Persona's inquiry.declined after inquiry.completed), a positive one reinstates rejected vendor
 * evidence, revoked evidence stays revoked.
 *
 * <p>Each evidence recorded or changed adds a change-log row in the same transaction, actor
 * {@code vendor:<vendor>}, reason {@code webhook event <id>: <outcome>}; a redelivery, an event
 * that changes nothing or a delivery refused before ingestion (signature, size, JSON) adds none.
 */
@ApplicationScoped
public class WebhookIngestion {

    private final WebhookEventRepository events;
    private final PersonRepository persons;
    private final VerificationRepository verifications;
    private final VerificationService evidence;
    private final PersonStatus status;
    private final WebhookConfig config;
    private final DatabaseClock clock;

    @Inject
    ChangeLog changeLog;

    @Inject
    public WebhookIngestion(WebhookEventRepository events, PersonRepository persons, VerificationRepository verifications,
                            VerificationService evidence, PersonStatus status, WebhookConfig config,
                            DatabaseClock clock) {
        this.events = events;
        this.persons = persons;
        this.verifications = verifications;
        this.evidence = evidence;
        this.status = status;
        this.config = config;
        this.clock = clock;
    }

    /**
     * Fails with a unique violation when the same event is being ingested concurrently; the
     * caller answers that as a duplicate (this transaction is rolled back, the other one wins).
     */
    @WithTransaction
    public Uni<IngestResult> ingest(KycVendor vendor, VendorEvent event) {
        return events.find(vendor, event.eventId()).flatMap(seen -> {
            if (seen != null) {
                return Uni.createFrom().item(IngestResult.duplicate(event.eventId()));
            }
            WebhookEvent row = new WebhookEvent(UUID.randomUUID().toString(), vendor, event.eventId(), event.eventType(),
                    clock.now());
            List<String> notes = new ArrayList<>();
            List<String> changed = new ArrayList<>();
            if (event.ignoreReason() != null) {
                notes.add(event.ignoreReason());
            }
            Uni<Void> chain = events.persistAndFlush(row).replaceWithVoid();
            for (VendorResult result : event.results()) {
                chain = chain.flatMap(ignored -> apply(vendor, event, result, notes, changed));
            }
            return chain.map(ignored -> {
                row.complete(changed.isEmpty() ? WebhookEvent.Outcome.IGNORED : WebhookEvent.Outcome.PROCESSED,
                        String.join("; ", notes));
                return new IngestResult(changed.isEmpty() ? IngestResult.IGNORED : IngestResult.PROCESSED,
                        event.eventId(), changed, String.join("; ", notes));
            });
        });
    }

    private Uni<Void> apply(KycVendor vendor, VendorEvent event, VendorResult r, List<String> notes, List<String> changed) {
        String label = r.reportId() == null ? "result" : r.reportId();
        Optional<String> personId = ResourceIds.parse(ResourceIds.PERSONS, r.personReference());
        if (personId.isEmpty()) {
            notes.add(label + ": reference " + (r.personReference() == null ? "missing" : "'" + r.personReference() + "'")
                    + " is not persons/{person}");
            return Uni.createFrom().voidItem();
        }
        if (r.reportId() == null) {
            notes.add("result without a report id");
            return Uni.createFrom().voidItem();
        }
        if (r.documentClass() == null) {
            notes.add(label + ": " + r.vendorDocument() + (r.issuingCountry() == null ? "" : " issued by " + r.issuingCountry())
                    + " establishes no citizenship or US immigration status");
            return Uni.createFrom().voidItem();
        }
        return persons.lockForUpdate(personId.get()).flatMap(person -> {
            if (person == null) {
                notes.add(label + ": no person " + r.personReference());
                return Uni.createFrom().voidItem();
            }
            return verifications.findByVendorReport(vendor, r.reportId()).flatMap(existing -> existing == null
                    ? record(vendor, event, r, personId.get(), notes, changed)
                    : transition(vendor, event, r, existing, notes, changed));
        });
    }

    private Uni<Void> record(KycVendor vendor, VendorEvent event, VendorResult r, String personId, List<String> notes,
                             List<String> changed) {
        Instant now = clock.now();
        Instant verifyTime = r.verifyTime() == null || r.verifyTime().isAfter(now) ? now : r.verifyTime();
        Instant expireTime = verifyTime.plus(config.evidenceMaxAge());
        boolean passed = r.passed();
        String reason = r.outcome();
        if (r.documentExpiry() != null) {
            Instant documentEnd = r.documentExpiry().atStartOfDay(ZoneOffset.UTC).toInstant();
            if (!documentEnd.isAfter(verifyTime)) {
                passed = false;
                reason = reason + "; document expired on " + r.documentExpiry();
                expireTime = null;
            } else if (documentEnd.isBefore(expireTime)) {
                expireTime = documentEnd;
            }
        }
        NewEvidence e = new NewEvidence(r.documentClass(), r.issuingCountry(), r.citizenships(), r.immigrationStatus(),
                r.assuranceLevel(), verifyTime.truncatedTo(java.time.temporal.ChronoUnit.MICROS), expireTime, null,
                VerificationMethod.VENDOR, vendor, r.reportId(),
                passed ? VerificationState.VERIFIED : VerificationState.REJECTED, vendor.actor(),
                reason + " (event " + event.eventId() + ")");
        return evidence.recordLocked(personId, e).flatMap(recorded -> {
            String name = ResourceIds.verificationName(personId, recorded.verification().id());
            changed.add(name);
            notes.add(r.reportId() + ": recorded " + name + " " + recorded.verification().state());
            return changeLog.record(vendor.actor(), name, ChangeLog.CREATE, null,
                    IdentityMapping.toProto(recorded.verification()), changeReason(event, r));
        });
    }

    private Uni<Void> transition(KycVendor vendor, VendorEvent event, VendorResult r, Verification existing,
                                 List<String> notes, List<String> changed) {
        String name = ResourceIds.verificationName(existing.personId(), existing.id());
        String reason = r.outcome() + " (event " + event.eventId() + ")";
        Instant now = clock.now();
        var before = IdentityMapping.toProto(existing);
        String action;
        if (!r.passed() && existing.canBeRevoked()) {
            existing.revoke(vendor.actor(), reason, now);
            action = ChangeLog.REVOKE;
        } else if (r.passed() && existing.canBeReinstated()) {
            existing.reinstateByVendor(vendor.actor(), reason, now);
            action = ChangeLog.UPDATE;
        } else {
            notes.add(r.reportId() + ": " + name + " already " + existing.state() + "; unchanged");
            return Uni.createFrom().voidItem();
        }
        changed.add(name);
        notes.add(r.reportId() + ": " + name + " now " + existing.state());
        return verifications.flush()
                .call(() -> changeLog.record(vendor.actor(), name, action, before, IdentityMapping.toProto(existing),
                        changeReason(event, r)))
                .flatMap(ignored -> status.recompute(existing.personId(), true))
                .replaceWithVoid();
    }

    private static String changeReason(VendorEvent event, VendorResult r) {
        return "webhook event " + event.eventId() + ": " + r.outcome();
    }
}
