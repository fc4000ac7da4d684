package dev.clearance.entitlement.grpc;

import com.google.protobuf.Message;
import dev.clearance.access.AccessPolicy;
import dev.clearance.access.MethodAccess;
import dev.clearance.access.Role;
import dev.clearance.entitlement.EntitlementErrors;
import dev.clearance.entitlement.OperatorTokens;
import dev.clearance.entitlement.v1.ApproveDirectiveRequest;
import dev.clearance.entitlement.v1.EnforceDirectiveRequest;
import dev.clearance.entitlement.v1.ListDirectiveTransitionsRequest;
import dev.clearance.entitlement.v1.PreviewDirectiveImpactRequest;
import dev.clearance.entitlement.v1.SuspendDirectiveRequest;
import dev.clearance.entitlement.v1.EntitlementServiceGrpc;
import dev.clearance.entitlement.v1.GetDirectiveRequest;
import dev.clearance.entitlement.v1.RevokeDirectiveRequest;
import dev.clearance.entitlement.v1.ShadowDirectiveRequest;
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
 * Every RPC of EntitlementService against its role table (issue 4 item 5): unauthenticated and
 * wrong-role calls are refused before anything else, also for resources that do not exist, and
 * every allowed role gets through. A plain channel: no default test token.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class RoleCheckTest {

    private static final String MISSING = "directives/roles-nonexistent";

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
        assertEquals(List.of(), policy.missingMethods(), "add these RPCs to EntitlementAccess (and the README's table)");
    }

    @Test
    void theRoutersRpcsAreTheOnlyOnesWithoutARole() {
        Set<String> networkOnly = policy.table().entrySet().stream().filter(e -> e.getValue() != null && e.getValue().networkOnly())
                .map(Map.Entry::getKey).collect(Collectors.toSet());
        assertEquals(Set.of("WatchPolicy", "AcknowledgePolicy", "RecordDecisionCounts"), networkOnly);
    }

    @TestFactory
    List<DynamicTest> everyRpcChecksItsRoleBeforeAnythingElse() {
        channel = ManagedChannelBuilder.forAddress("localhost", 19102).usePlaintext().build();
        Map<String, Set<String>> allowed = new HashMap<>();
        policy.table().forEach((method, access) -> {
            if (access != null) {
                allowed.put(method, realmRoles(access));
            }
        });
        return RoleChecks.cases(channel, EntitlementServiceGrpc.getServiceDescriptor(), allowed, nonexistentResources(),
                OperatorTokens.KEYS, EntitlementErrors.DOMAIN);
    }

    private static Set<String> realmRoles(MethodAccess access) {
        return access.roles().stream().map(Role::realmRole).collect(Collectors.toSet());
    }

    /** Well-formed requests naming a directive that does not exist: with the role they are NOT_FOUND. */
    private static Map<String, Message> nonexistentResources() {
        return Map.of(
                "GetDirective", GetDirectiveRequest.newBuilder().setName(MISSING).build(),
                "ShadowDirective", ShadowDirectiveRequest.newBuilder().setName(MISSING).setReason("test").build(),
                "EnforceDirective", EnforceDirectiveRequest.newBuilder().setName(MISSING).setReason("test").build(),
                "RevokeDirective", RevokeDirectiveRequest.newBuilder().setName(MISSING).setReason("test").build(),
                "ApproveDirective", ApproveDirectiveRequest.newBuilder().setName(MISSING).setReason("test").build(),
                "SuspendDirective", SuspendDirectiveRequest.newBuilder().setName(MISSING).setReason("test").build(),
                "ListDirectiveTransitions", ListDirectiveTransitionsRequest.newBuilder().setName(MISSING).build(),
                // NOT_FOUND before identity-service is asked for the population
                "PreviewDirectiveImpact", PreviewDirectiveImpactRequest.newBuilder().setName(MISSING).build());
    }
}
