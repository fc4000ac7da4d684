package dev.clearance.entitlement.repository;

import com.google.protobuf.Duration;
import com.google.protobuf.Timestamp;
import dev.clearance.entitlement.Catalogue;
import dev.clearance.entitlement.domain.Attribution;
import dev.clearance.entitlement.domain.DirectiveAction;
import dev.clearance.entitlement.domain.DirectiveEntity;
import dev.clearance.entitlement.domain.DirectiveState;
import dev.clearance.entitlement.domain.DirectiveTransitionEntity;
import dev.clearance.entitlement.domain.StoredDirective;
import dev.clearance.entitlement.mapping.DirectiveMapping;
import dev.clearance.entitlement.service.ChangeLog;
import dev.clearance.entitlement.v1.CarveOut;
import dev.clearance.entitlement.v1.CreateDirectiveRequest;
import dev.clearance.entitlement.v1.CreateLicenceRequest;
import dev.clearance.entitlement.v1.CreateProgrammeRequest;
import dev.clearance.entitlement.v1.Directive;
import dev.clearance.entitlement.v1.DirectiveSubjects;
import dev.clearance.entitlement.v1.EntitlementServiceGrpc;
import dev.clearance.entitlement.v1.FamilyScope;
import dev.clearance.entitlement.v1.Licence;
import dev.clearance.entitlement.v1.LicenceKind;
import dev.clearance.entitlement.v1.SubjectKind;
import dev.clearance.testing.PostgresTestResource;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The directive step's plain SQL against the JPA mapping it stands beside: what it reads is what
 * Hibernate reads, and what it writes Hibernate reads back, column for column. A column renamed or
 * added on one side only fails here.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class DirectiveStepRepositoryTest {

    @GrpcClient("entitlement")
    EntitlementServiceGrpc.EntitlementServiceBlockingStub client;

    @Inject
    Pool pool;

    @Inject
    DirectiveStepRepository steps;

    @Inject
    DirectiveRepository directives;

    @Inject
    DirectiveTransitionRepository transitions;

    /** A directive using every field a directive row and its three child tables hold. */
    private String everyField() {
        String fam = "sr" + Catalogue.unique();
        Catalogue.family(client, fam, 3);
        String other = "sr" + Catalogue.unique();
        Catalogue.family(client, other, 1);
        client.createProgramme(CreateProgrammeRequest.newBuilder().setProgrammeId("p-" + fam).build());
        String licence = client.createLicence(CreateLicenceRequest.newBuilder().setLicence(Licence.newBuilder()
                .setKind(LicenceKind.LICENCE_KIND_LICENCE_EXCEPTION).setReference("740.2")
                .addNamedPersons("persons/hiro-" + fam).addModelPatterns(fam + "-1")).build()).getLicence().getName();
        String id = "sr-" + fam;
        client.createDirective(CreateDirectiveRequest.newBuilder().setDirectiveId(id).setDirective(Directive.newBuilder()
                .setIssuer("BIS").setReference("letter of 2026-06-12").setCitation("15 CFR 734.13")
                .setReceiveTime(Timestamp.newBuilder().setSeconds(1781299260L))
                .setEffectiveTime(Timestamp.newBuilder().setSeconds(1781299260L))
                .setExpireTime(Timestamp.newBuilder().setSeconds(1812835260L))
                .addScope(FamilyScope.newBuilder().setFamily("families/" + fam).setFromVersion(fam + "-2"))
                .addScope(FamilyScope.newBuilder().setFamily("families/" + other))
                .setSubjects(DirectiveSubjects.newBuilder().setKind(SubjectKind.SUBJECT_KIND_NATIONALS_OF)
                        .addCountries("MO").addCountryGroups("D:5"))
                .setMinimumAssurance(dev.clearance.common.v1.AssuranceLevel.ASSURANCE_LEVEL_IAL2)
                .setMaximumEvidenceAge(Duration.newBuilder().setSeconds(86400))
                .addCarveOuts(CarveOut.newBuilder().setLicensedPersons(true))
                .addCarveOuts(CarveOut.newBuilder().setProgramme("programmes/p-" + fam))
                .addCarveOuts(CarveOut.newBuilder().setLicence(licence)))
                .build());
        return id;
    }

    private StoredDirective viaHibernate(String id) throws Throwable {
        return VertxContextSupport.subscribeAndAwait(() -> Panache.withSession(() -> directives.findStored(id)));
    }

    private StoredDirective viaSteps(String id) throws Throwable {
        return VertxContextSupport.subscribeAndAwait(() -> pool.withTransaction(c -> steps.find(c, id)));
    }

    @Test
    void readsTheDirectiveHibernateReads() throws Throwable {
        String id = everyField();
        Instant now = Instant.now();
        Directive expected = DirectiveMapping.toProto(viaHibernate(id), now);
        StoredDirective read = viaSteps(id);
        assertEquals(expected, DirectiveMapping.toProto(read, now));
        assertEquals(2, read.scope().size());
        assertEquals(2, read.subjects().size());
        assertEquals(3, read.carveOuts().size());
        assertNull(viaSteps("sr-none-" + Catalogue.unique()), "no directive: null");
    }

    @Test
    void writesWhatHibernateReadsBack() throws Throwable {
        String id = everyField();
        StoredDirective read = viaSteps(id);
        DirectiveEntity d = read.directive();
        Instant t = Instant.parse("2026-11-28T08:00:00.123456Z");
        d.state = DirectiveState.ENFORCED;
        d.updateTime = t;
        d.countryGroupsIssueDate = "2026-01-02";
        d.pendingRequester = "alice";
        d.pendingRequesterSubject = "subject-a";
        d.pendingRequestTime = t.plusSeconds(1);
        d.pendingReason = "asked";
        d.emergencyEnforcer = "bob";
        d.emergencyEnforcerSubject = "subject-b";
        d.emergencyEnforceTime = t.plusSeconds(2);
        d.emergencyReason = "urgent";
        d.emergencyConfirmDeadline = t.plusSeconds(3);
        d.emergencyConfirmer = "carol";
        d.emergencyConfirmTime = t.plusSeconds(4);
        DirectiveTransitionEntity transition = new DirectiveTransitionEntity();
        transition.directiveId = id;
        transition.action = DirectiveAction.EMERGENCY_ENFORCE;
        transition.fromState = DirectiveState.DRAFT;
        transition.toState = DirectiveState.ENFORCED;
        transition.actor = "bob";
        transition.transitionTime = t;
        transition.reason = "urgent";
        transition.policyRevision = 424242;
        var change = ChangeLog.entry(new Attribution("bob", "urgent"), 424242, "directives/" + id, "ENFORCED",
                null, Directive.newBuilder().setName("directives/" + id).build());
        VertxContextSupport.subscribeAndAwait(() -> pool.withTransaction(c -> steps.store(c, d, transition, change)));

        DirectiveEntity back = viaHibernate(id).directive();
        assertEquals(DirectiveState.ENFORCED, back.state);
        assertEquals(t, back.updateTime);
        assertEquals("2026-01-02", back.countryGroupsIssueDate);
        assertEquals(List.of("alice", "subject-a", t.plusSeconds(1), "asked"),
                List.of(back.pendingRequester, back.pendingRequesterSubject, back.pendingRequestTime, back.pendingReason));
        assertEquals(List.of("bob", "subject-b", t.plusSeconds(2), "urgent", t.plusSeconds(3), "carol", t.plusSeconds(4)),
                List.of(back.emergencyEnforcer, back.emergencyEnforcerSubject, back.emergencyEnforceTime,
                        back.emergencyReason, back.emergencyConfirmDeadline, back.emergencyConfirmer,
                        back.emergencyConfirmTime));
        assertEquals(DirectiveMapping.toProto(read, t), DirectiveMapping.toProto(viaHibernate(id), t),
                "everything else as it was");

        List<DirectiveTransitionEntity> history = VertxContextSupport.subscribeAndAwait(
                () -> Panache.withSession(() -> transitions.history(id)));
        DirectiveTransitionEntity last = history.get(history.size() - 1);
        assertNotNull(last.id);
        assertEquals(List.of(DirectiveAction.EMERGENCY_ENFORCE, DirectiveState.DRAFT, DirectiveState.ENFORCED, "bob", t,
                        "urgent", 424242L),
                List.of(last.action, last.fromState, last.toState, last.actor, last.transitionTime, last.reason,
                        last.policyRevision));

        var logged = client.listChanges(dev.clearance.entitlement.v1.ListChangesRequest.newBuilder()
                .setResource("directives/" + id).build()).getChangesList();
        assertTrue(logged.stream().anyMatch(c -> c.getAction().equals("ENFORCED") && c.getActor().equals("bob")
                && c.getReason().equals("urgent") && c.getPolicyRevision() == 424242
                && c.getBefore().isEmpty() && c.getAfter().equals(change.after)), "the change-log row: " + logged);
    }
}
