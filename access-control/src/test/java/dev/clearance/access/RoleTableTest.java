package dev.clearance.access;

import io.grpc.MethodDescriptor;
import io.grpc.ServiceDescriptor;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The role table's rules, without gRPC traffic. */
class RoleTableTest {

    private static final MethodDescriptor.Marshaller<String> TEXT = new MethodDescriptor.Marshaller<>() {
        public InputStream stream(String value) {
            return new ByteArrayInputStream(value.getBytes());
        }

        public String parse(InputStream stream) {
            return "";
        }
    };

    private static MethodDescriptor<String, String> method(String service, String name) {
        return MethodDescriptor.<String, String>newBuilder().setType(MethodDescriptor.MethodType.UNARY)
                .setFullMethodName(MethodDescriptor.generateFullMethodName(service, name))
                .setRequestMarshaller(TEXT).setResponseMarshaller(TEXT).build();
    }

    private static final MethodDescriptor<String, String> CREATE = method("test.v1.Things", "CreateThing");
    private static final MethodDescriptor<String, String> GET = method("test.v1.Things", "GetThing");
    private static final MethodDescriptor<String, String> WATCH = method("test.v1.Things", "WatchThings");
    private static final ServiceDescriptor SERVICE = new ServiceDescriptor("test.v1.Things", CREATE, GET, WATCH);

    @Test
    void aMethodWithoutAnEntryIsReportedMissingAndHasNoRule() {
        AccessPolicy policy = AccessPolicy.forService(SERVICE, "test.clearance.dev")
                .method(CREATE, Role.ADMIN)
                .method(WATCH, MethodAccess.network())
                .build();
        assertEquals(List.of("test.v1.Things/GetThing"), policy.missingMethods());
        assertNull(policy.access(GET.getFullMethodName()));
        assertEquals(List.of("CreateThing", "GetThing", "WatchThings"), List.copyOf(policy.table().keySet()));
    }

    @Test
    void anyOneOfTheRolesIsEnough() {
        MethodAccess read = MethodAccess.anyOf(Role.AUDITOR, Role.ADMIN, Role.COMPLIANCE);
        assertTrue(read.allows(Set.of("clearance-auditor")));
        assertTrue(read.allows(Set.of("offline_access", "clearance-compliance")));
        assertFalse(read.allows(Set.of()));
        assertFalse(read.allows(Set.of("clearance-admins", "CLEARANCE-ADMIN")), "exact role names only");
        assertEquals("clearance-admin,clearance-compliance,clearance-auditor", read.describeRoles());
        assertFalse(read.networkOnly());
        assertTrue(MethodAccess.network().networkOnly());
    }

    @Test
    void aMethodOfAnotherServiceOrTwoEntriesAreRejectedWhenTheTableIsBuilt() {
        AccessPolicy.Builder builder = AccessPolicy.forService(SERVICE, "test.clearance.dev").method(CREATE, Role.ADMIN);
        assertThrows(IllegalArgumentException.class, () -> builder.method(CREATE, Role.COMPLIANCE));
        assertThrows(IllegalArgumentException.class, () -> builder.method(method("other.v1.S", "M"), Role.ADMIN));
    }

    @Test
    void theActorIsTheUsernameWithTheSubjectAndCannotBeForged() {
        assertEquals("officer2 (c1ea-2)", new Operator("c1ea-2", "officer2", Set.of(), "token").actor());
        assertEquals("c1ea-2", new Operator("c1ea-2", null, Set.of(), "token").actor());
        assertEquals("c1ea-2", new Operator("c1ea-2", " \n", Set.of(), "token").actor());
        assertEquals("evilofficer (x) (c1ea-3)".replace("(x) ", "x "),
                new Operator("c1ea-3", "evil\nofficer (x)", Set.of(), "token").actor());
        assertEquals(100 + " (s)".length(), new Operator("s", "a".repeat(500), Set.of(), "token").actor().length());
    }

    @Test
    void theOperatorsTokenNeverShowsInItsText() {
        assertFalse(new Operator("c1ea-2", "officer2", Set.of("clearance-admin"), "eyJsecret").toString().contains("eyJsecret"));
    }
}
