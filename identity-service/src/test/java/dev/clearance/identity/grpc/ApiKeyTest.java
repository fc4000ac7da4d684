package dev.clearance.identity.grpc;

import com.google.protobuf.util.Timestamps;
import dev.clearance.api.ApiError;
import dev.clearance.common.v1.CallerIdentity;
import dev.clearance.identity.support.TestClock;
import dev.clearance.identity.v1.ApiKey;
import dev.clearance.identity.v1.CreateApiKeyRequest;
import dev.clearance.identity.v1.CreateApiKeyResponse;
import dev.clearance.identity.v1.GetApiKeyRequest;
import dev.clearance.identity.v1.IdentityServiceGrpc.IdentityServiceBlockingStub;
import dev.clearance.identity.v1.Person;
import dev.clearance.identity.v1.ResolveCallerRequest;
import dev.clearance.identity.v1.RevokeApiKeyRequest;
import dev.clearance.identity.v1.RotateApiKeyRequest;
import dev.clearance.identity.v1.RotateApiKeyResponse;
import dev.clearance.testing.PostgresTestResource;
import io.grpc.Status;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static dev.clearance.identity.support.Fixtures.person;
import static dev.clearance.identity.support.Fixtures.ts;
import static dev.clearance.identity.support.Grpc.assertError;
import static dev.clearance.identity.support.Grpc.assertViolations;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** API key last use, expiry and rotation with overlap. */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class ApiKeyTest {

    @GrpcClient("identity")
    IdentityServiceBlockingStub identity;

    @Inject
    TestClock clock;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    private CreateApiKeyResponse createKey(Person owner) {
        return identity.createApiKey(CreateApiKeyRequest.newBuilder()
                .setApiKey(ApiKey.newBuilder().setOwner(owner.getName()).setDisplayName("ci")).build());
    }

    private CallerIdentity byKey(String secret) {
        return identity.resolveCaller(ResolveCallerRequest.newBuilder().setApiKey(secret).build()).getCaller();
    }

    private ApiKey get(String name) {
        return identity.getApiKey(GetApiKeyRequest.newBuilder().setName(name).build()).getApiKey();
    }

    private RotateApiKeyResponse rotate(String name, Instant previousUntil) {
        RotateApiKeyRequest.Builder r = RotateApiKeyRequest.newBuilder().setName(name);
        if (previousUntil != null) {
            r.setPreviousSecretExpireTime(ts(previousUntil));
        }
        return identity.rotateApiKey(r.build());
    }

    @Test
    void lastUseIsRecordedAtMostOncePerMinute() {
        Person p = person(identity, null, null);
        CreateApiKeyResponse created = createKey(p);
        String name = created.getApiKey().getName();
        assertFalse(get(name).hasLastUseTime(), "never used");

        identity.resolveCaller(ResolveCallerRequest.newBuilder().setSubject(name).build());
        assertFalse(get(name).hasLastUseTime(), "a what-if lookup by name is no use of the secret");

        byKey(created.getSecret());
        ApiKey used = get(name);
        assertTrue(used.hasLastUseTime());
        long first = Timestamps.toMicros(used.getLastUseTime());

        clock.advance(Duration.ofSeconds(30));
        byKey(created.getSecret());
        assertEquals(first, Timestamps.toMicros(get(name).getLastUseTime()), "within a minute: not written again");

        clock.advance(Duration.ofSeconds(45));
        byKey(created.getSecret());
        long later = Timestamps.toMicros(get(name).getLastUseTime());
        assertTrue(later >= first + 75_000_000L, "older than a minute: written");
    }

    @Test
    void rotationKeepsThePreviousSecretUntilTheOverlapEnds() {
        Person p = person(identity, null, null);
        CreateApiKeyResponse created = createKey(p);
        String name = created.getApiKey().getName();
        Instant overlapEnd = Instant.now().plus(Duration.ofHours(2));

        RotateApiKeyResponse rotated = rotate(name, overlapEnd);
        ApiKey key = rotated.getApiKey();
        assertNotEquals(created.getSecret(), rotated.getSecret());
        assertTrue(rotated.getSecret().startsWith("clr_" + key.getPrefix() + "_"));
        assertEquals(created.getApiKey().getPrefix(), key.getPreviousPrefix());
        assertEquals(overlapEnd.getEpochSecond(), key.getPreviousSecretExpireTime().getSeconds());
        assertTrue(key.hasRotateTime());

        assertEquals(p.getName(), byKey(rotated.getSecret()).getPerson());
        assertEquals(p.getName(), byKey(created.getSecret()).getPerson(), "the old secret still works in the overlap");
        assertTrue(get(name).hasPreviousSecretLastUseTime(), "shows that a client still uses the old secret");

        clock.advance(Duration.ofHours(3));
        var e = assertError(Status.Code.UNAUTHENTICATED, "CREDENTIAL_EXPIRED", () -> byKey(created.getSecret()));
        assertEquals(name, ApiError.errorInfo(e).orElseThrow().getMetadataOrThrow("api_key"));
        assertEquals(p.getName(), byKey(rotated.getSecret()).getPerson());
    }

    @Test
    void immediateRotationStopsTheOldSecretAndIsAllowedDuringAnOverlap() {
        Person p = person(identity, null, null);
        CreateApiKeyResponse created = createKey(p);
        String name = created.getApiKey().getName();
        RotateApiKeyResponse first = rotate(name, Instant.now().plus(Duration.ofDays(1)));

        var e = assertError(Status.Code.FAILED_PRECONDITION, "FAILED_PRECONDITION",
                () -> rotate(name, Instant.now().plus(Duration.ofDays(1))));
        assertTrue(ApiError.errorInfo(e).orElseThrow().containsMetadata("previous_secret_expire_time"));

        // leaked: rotate without overlap; both earlier secrets stop at once
        RotateApiKeyResponse second = rotate(name, null);
        assertEquals(p.getName(), byKey(second.getSecret()).getPerson());
        assertError(Status.Code.UNAUTHENTICATED, "CREDENTIAL_EXPIRED", () -> byKey(first.getSecret()));
        assertError(Status.Code.UNAUTHENTICATED, "CREDENTIAL_INVALID", () -> byKey(created.getSecret()));
    }

    @Test
    void rotationIsValidatedAndRefusedForDeadKeys() {
        Person p = person(identity, null, null);
        assertViolations(List.of("name", "previous_secret_expire_time"), () -> rotate("keys/x",
                Instant.now().plus(Duration.ofDays(31))));
        assertError(Status.Code.NOT_FOUND, "RESOURCE_NOT_FOUND", () -> rotate("apiKeys/0000000000000000", null));

        CreateApiKeyResponse expiring = identity.createApiKey(CreateApiKeyRequest.newBuilder().setApiKey(ApiKey.newBuilder()
                .setOwner(p.getName()).setExpireTime(ts(Instant.now().plus(Duration.ofHours(1))))).build());
        assertViolations(List.of("previous_secret_expire_time"), () -> rotate(expiring.getApiKey().getName(),
                Instant.now().plus(Duration.ofHours(2))));
        assertEquals(expiring.getApiKey().getPrefix(), get(expiring.getApiKey().getName()).getPrefix(), "nothing stored");

        CreateApiKeyResponse revoked = createKey(p);
        identity.revokeApiKey(RevokeApiKeyRequest.newBuilder().setName(revoked.getApiKey().getName()).build());
        assertError(Status.Code.FAILED_PRECONDITION, "FAILED_PRECONDITION", () -> rotate(revoked.getApiKey().getName(), null));

        clock.advance(Duration.ofHours(2));
        assertError(Status.Code.UNAUTHENTICATED, "CREDENTIAL_EXPIRED", () -> byKey(expiring.getSecret()));
        assertError(Status.Code.FAILED_PRECONDITION, "FAILED_PRECONDITION", () -> rotate(expiring.getApiKey().getName(), null));
    }
}
