package dev.clearance.entitlement.grpc;

import dev.clearance.entitlement.Grpc;
import dev.clearance.entitlement.OperatorTokens;
import dev.clearance.entitlement.v1.EntitlementServiceGrpc;
import dev.clearance.entitlement.v1.ListEntitlementsRequest;
import dev.clearance.testing.PostgresTestResource;
import io.grpc.Status;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * ListEntitlements' wiring where identity-service is not needed (it is configured at a closed port
 * here, as for {@link CheckTest}); what it lists is the engine's {@code Evaluator.listEntitlements}
 * (policy-engine's EvaluatorTest) and, with a real identity-service, the end-to-end suite's.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class ListEntitlementsTest {

    @GrpcClient("entitlement")
    EntitlementServiceGrpc.EntitlementServiceBlockingStub client;

    @Test
    void theSubjectIsACheckSubjectAndTheRegionACode() {
        Grpc.expectViolations(() -> client.listEntitlements(ListEntitlementsRequest.getDefaultInstance()), "subject");
        Grpc.expectViolations(() -> client.listEntitlements(ListEntitlementsRequest.newBuilder()
                .setSubject("organisations/acme").setRegionCode("usa").build()), "subject", "region_code");
    }

    @Test
    void anAuditorAsksAndIdentityUnreachableIsUnavailable() {
        var e = Grpc.expect(Status.Code.UNAVAILABLE, () -> OperatorTokens.as(client, "audrey", "clearance-auditor")
                .listEntitlements(ListEntitlementsRequest.newBuilder().setSubject("persons/bogdan").build()));
        assertEquals("IDENTITY_UNAVAILABLE", Grpc.info(e).getReason());
    }
}
