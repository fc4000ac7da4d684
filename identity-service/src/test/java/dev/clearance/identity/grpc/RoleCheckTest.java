package dev.clearance.identity.grpc;

import com.google.protobuf.FieldMask;
import com.google.protobuf.Message;
import dev.clearance.access.AccessPolicy;
import dev.clearance.access.MethodAccess;
import dev.clearance.access.Role;
import dev.clearance.identity.ErrorDomain;
import dev.clearance.identity.support.TestRealm;
import dev.clearance.identity.v1.GetApiKeyRequest;
import dev.clearance.identity.v1.GetOrganisationRequest;
import dev.clearance.identity.v1.GetPersonRequest;
import dev.clearance.identity.v1.GetVerificationRequest;
import dev.clearance.identity.v1.IdentityServiceGrpc;
import dev.clearance.identity.v1.ListVerificationsRequest;
import dev.clearance.identity.v1.Organisation;
import dev.clearance.identity.v1.Person;
import dev.clearance.identity.v1.RecordVerificationRequest;
import dev.clearance.identity.v1.ResolveScreeningMatchRequest;
import dev.clearance.identity.v1.RevokeApiKeyRequest;
import dev.clearance.identity.v1.RevokeVerificationRequest;
import dev.clearance.identity.v1.RotateApiKeyRequest;
import dev.clearance.identity.v1.ScreeningResolution;
import dev.clearance.identity.v1.UpdateOrganisationRequest;
import dev.clearance.identity.v1.UpdatePersonRequest;
import dev.clearance.identity.v1.Verification;
import dev.clearance.testing.PostgresTestResource;
import dev.clearance.testing.RoleChecks;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every RPC of IdentityService against its role table (issue 4 item 5): unauthenticated and
 * wrong-role calls are refused before anything else, also for resources that do not exist, and
 * every allowed role gets through. A plain channel: no default test token.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class RoleCheckTest {

    private static final String MISSING = "roles-nonexistent";

    @Inject
    AccessPolicy policy;

    private ManagedChannel channel;

    @AfterEach
    void close() {
        if (channel != null) {
            channel.shutdownNow();
        }
    }

    @Test
    void everyRpcOfTheServiceHasAnEntryInTheRoleTable() {
        assertEquals(List.of(), policy.missingMethods(), "add these RPCs to IdentityAccess (and the README's table)");
    }

    @Test
    void theInternalRpcsAreTheOnlyOnesWithoutARole() {
        Set<String> networkOnly = policy.table().entrySet().stream().filter(e -> e.getValue() != null && e.getValue().networkOnly())
                .map(Map.Entry::getKey).collect(Collectors.toSet());
        assertEquals(Set.of("ResolveCaller", "WatchIdentityChanges"), networkOnly);
    }

    @TestFactory
    List<DynamicTest> everyRpcChecksItsRoleBeforeAnythingElse() {
        channel = ManagedChannelBuilder.forAddress("localhost", 19101).usePlaintext().build();
        Map<String, Set<String>> allowed = new HashMap<>();
        policy.table().forEach((method, access) -> {
            if (access != null) {
                allowed.put(method, realmRoles(access));
            }
        });
        return RoleChecks.cases(channel, IdentityServiceGrpc.getServiceDescriptor(), allowed, nonexistentResources(),
                TestRealm.KEYS, ErrorDomain.IDENTITY);
    }

    private static Set<String> realmRoles(MethodAccess access) {
        return access.roles().stream().map(Role::realmRole).collect(Collectors.toSet());
    }

    /** Well-formed requests naming resources that do not exist: with the role they are NOT_FOUND. */
    private static Map<String, Message> nonexistentResources() {
        String person = "persons/" + MISSING;
        String apiKey = "apiKeys/" + MISSING;
        return Map.ofEntries(
                Map.entry("GetPerson", GetPersonRequest.newBuilder().setName(person).build()),
                Map.entry("UpdatePerson", UpdatePersonRequest.newBuilder()
                        .setPerson(Person.newBuilder().setName(person).setDisplayName("x"))
                        .setUpdateMask(FieldMask.newBuilder().addPaths("display_name")).build()),
                Map.entry("GetOrganisation", GetOrganisationRequest.newBuilder().setName("organisations/" + MISSING).build()),
                Map.entry("UpdateOrganisation", UpdateOrganisationRequest.newBuilder()
                        .setOrganisation(Organisation.newBuilder().setName("organisations/" + MISSING).setDisplayName("x"))
                        .setUpdateMask(FieldMask.newBuilder().addPaths("display_name")).build()),
                Map.entry("RecordVerification", RecordVerificationRequest.newBuilder().setParent(person)
                        .setVerification(Verification.getDefaultInstance()).build()),
                Map.entry("GetVerification", GetVerificationRequest.newBuilder()
                        .setName(person + "/verifications/" + MISSING).build()),
                Map.entry("ListVerifications", ListVerificationsRequest.newBuilder().setParent(person).build()),
                Map.entry("RevokeVerification", RevokeVerificationRequest.newBuilder()
                        .setName(person + "/verifications/" + MISSING).setReason("test").build()),
                Map.entry("ResolveScreeningMatch", ResolveScreeningMatchRequest.newBuilder()
                        .setName("screeningMatches/" + MISSING).setResolution(ScreeningResolution.SCREENING_RESOLUTION_CLEAR)
                        .setReason("test").build()),
                Map.entry("GetApiKey", GetApiKeyRequest.newBuilder().setName(apiKey).build()),
                Map.entry("RotateApiKey", RotateApiKeyRequest.newBuilder().setName(apiKey).build()),
                Map.entry("RevokeApiKey", RevokeApiKeyRequest.newBuilder().setName(apiKey).build()));
    }
}
