package dev.clearance.entitlement.grpc;

import dev.clearance.entitlement.Catalogue;
import dev.clearance.entitlement.Grpc;
import dev.clearance.entitlement.v1.CheckRequest;
import dev.clearance.entitlement.v1.EntitlementServiceGrpc;
import dev.clearance.testing.PostgresTestResource;
import io.grpc.Status;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Check's wiring where identity-service is not needed. In these tests identity-service is
 * configured at a port where nothing listens; the full decision path (real identity-service,
 * the scenario's expected table) is the end-to-end suite's job.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class CheckTest {

    @GrpcClient("entitlement")
    EntitlementServiceGrpc.EntitlementServiceBlockingStub client;

    private static CheckRequest.Builder check(String subject, String model) {
        return CheckRequest.newBuilder().setSubject(subject).setModel(model);
    }

    @Test
    void invalidInputIsRejectedField() {
        Grpc.expectViolations(() -> client.check(check("persons/bogdan", "").build()), "model");
        Grpc.expectViolations(() -> client.check(check("users/bogdan", "fable-5").setRegionCode("usa").build()),
                "subject", "region_code");
        Grpc.expectViolations(() -> client.check(check("", "fable-5").build()), "subject");
        Grpc.expectViolations(() -> client.check(check("persons/bogdan", "   ").build()), "model");
        Grpc.expectViolations(() -> client.check(check("persons/bogdan", "fable\u200b-5").build()), "model");
    }

    @Test
    void unknownModelIsModelNotFoundWithoutAskingIdentity() {
        var e = Grpc.expect(Status.Code.NOT_FOUND,
                () -> client.check(check("persons/bogdan", "nonexistent-" + Catalogue.unique()).build()));
        assertEquals("MODEL_NOT_FOUND", Grpc.info(e).getReason());
    }

    @Test
    void knownModelWithIdentityUnreachableIsUnavailable() {
        String fam = "chk" + Catalogue.unique();
        Catalogue.family(client, fam, 2);
        // Normalised (case, surrounding spaces, full-width letters) before lookup, so it is known and identity is asked.
        var e = Grpc.expect(Status.Code.UNAVAILABLE,
                () -> client.check(check("persons/bogdan", "  " + fam.toUpperCase() + "-２ ").build()));
        assertEquals("IDENTITY_UNAVAILABLE", Grpc.info(e).getReason());
    }
}
