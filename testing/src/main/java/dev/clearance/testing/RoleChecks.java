package dev.clearance.testing;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.rpc.ErrorInfo;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServiceDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import org.junit.jupiter.api.DynamicTest;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The role checks of every RPC of a service, table-driven: for each method with roles, no token is
 * UNAUTHENTICATED, a forged token is UNAUTHENTICATED, a valid token without the role (no Clearance
 * role, and each Clearance role the table does not allow) is PERMISSION_DENIED ROLE_REQUIRED, and
 * each allowed role gets past the check (any answer but UNAUTHENTICATED or PERMISSION_DENIED). The
 * request names a resource that does not exist, so the refused cases prove the role check comes
 * before any existence check. Network-only methods (unary) answer without a token.
 *
 * <p>Use from a JUnit {@code @TestFactory} with a plain channel (no default credentials).
 */
public final class RoleChecks {

    private static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    private static final List<String> CLEARANCE_ROLES = List.of(TestIssuer.ADMIN, TestIssuer.COMPLIANCE, TestIssuer.AUDITOR);
    private static final long DEADLINE_SECONDS = 30;

    private RoleChecks() {
    }

    /**
     * @param allowedRoles per bare method name, the realm roles that may call it; an empty set marks a
     *                     network-only method
     * @param requests     per bare method name, the request to send (naming a nonexistent resource);
     *                     methods without one send the default instance
     */
    public static List<DynamicTest> cases(Channel channel, ServiceDescriptor service, Map<String, Set<String>> allowedRoles,
                                          Map<String, Message> requests, TestIssuer issuer, String errorDomain) {
        List<DynamicTest> tests = new ArrayList<>();
        for (MethodDescriptor<?, ?> m : service.getMethods()) {
            @SuppressWarnings("unchecked")
            MethodDescriptor<Message, Message> method = (MethodDescriptor<Message, Message>) m;
            String name = method.getBareMethodName();
            Set<String> allowed = allowedRoles.get(name);
            if (allowed == null) {
                tests.add(DynamicTest.dynamicTest(name + " has a role table entry",
                        () -> fail(name + " is missing from the role table")));
                continue;
            }
            Message request = requests.getOrDefault(name, prototype(method));
            if (allowed.isEmpty()) {
                if (method.getType() == MethodDescriptor.MethodType.UNARY) {
                    tests.add(DynamicTest.dynamicTest(name + ": network-only, no token needed", () -> {
                        Status.Code code = call(channel, method, request, null);
                        assertNotEquals(Status.Code.UNAUTHENTICATED, code);
                        assertNotEquals(Status.Code.PERMISSION_DENIED, code);
                    }));
                }
                continue;
            }
            tests.add(DynamicTest.dynamicTest(name + ": no token is UNAUTHENTICATED", () ->
                    expect(Status.Code.UNAUTHENTICATED, "CREDENTIAL_MISSING", errorDomain, channel, method, request, null)));
            tests.add(DynamicTest.dynamicTest(name + ": a forged token is UNAUTHENTICATED", () ->
                    expect(Status.Code.UNAUTHENTICATED, "CREDENTIAL_INVALID", errorDomain, channel, method, request,
                            forged(issuer.token("mallory", "mallory", CLEARANCE_ROLES.toArray(String[]::new))))));
            tests.add(DynamicTest.dynamicTest(name + ": no Clearance role is PERMISSION_DENIED", () ->
                    expect(Status.Code.PERMISSION_DENIED, "ROLE_REQUIRED", errorDomain, channel, method, request,
                            issuer.token("nobody", "nobody", "offline_access"))));
            for (String role : CLEARANCE_ROLES) {
                String token = issuer.token("holder-of-" + role, "holder-of-" + role, role);
                if (allowed.contains(role)) {
                    tests.add(DynamicTest.dynamicTest(name + ": " + role + " gets past the role check", () -> {
                        Status.Code code = call(channel, method, request, token);
                        assertNotEquals(Status.Code.UNAUTHENTICATED, code, name + " as " + role);
                        assertNotEquals(Status.Code.PERMISSION_DENIED, code, name + " as " + role);
                    }));
                } else {
                    tests.add(DynamicTest.dynamicTest(name + ": " + role + " is PERMISSION_DENIED", () ->
                            expect(Status.Code.PERMISSION_DENIED, "ROLE_REQUIRED", errorDomain, channel, method, request, token)));
                }
            }
        }
        return tests;
    }

    private static Message prototype(MethodDescriptor<Message, Message> method) {
        if (method.getRequestMarshaller() instanceof MethodDescriptor.PrototypeMarshaller<?> p) {
            return (Message) p.getMessagePrototype();
        }
        throw new IllegalArgumentException(method.getFullMethodName() + " has no protobuf request prototype");
    }

    /** The same claims with the signature of another token: verification must fail. */
    private static String forged(String token) {
        String[] parts = token.split("\\.");
        char last = parts[2].charAt(0);
        return parts[0] + "." + parts[1] + "." + (last == 'A' ? 'B' : 'A') + parts[2].substring(1);
    }

    private static void expect(Status.Code code, String reason, String domain, Channel channel,
                               MethodDescriptor<Message, Message> method, Message request, String token) {
        try {
            invoke(channel, method, request, token);
            fail(method.getBareMethodName() + " answered instead of " + code);
        } catch (StatusRuntimeException e) {
            assertEquals(code, e.getStatus().getCode(), () -> method.getBareMethodName() + ": " + e.getStatus());
            ErrorInfo info = errorInfo(e);
            assertEquals(reason, info.getReason(), method.getBareMethodName());
            assertEquals(domain, info.getDomain(), method.getBareMethodName());
        }
    }

    private static Status.Code call(Channel channel, MethodDescriptor<Message, Message> method, Message request, String token) {
        try {
            invoke(channel, method, request, token);
            return Status.Code.OK;
        } catch (StatusRuntimeException e) {
            return e.getStatus().getCode();
        }
    }

    private static void invoke(Channel channel, MethodDescriptor<Message, Message> method, Message request, String token) {
        Channel target = channel;
        if (token != null) {
            Metadata headers = new Metadata();
            headers.put(AUTHORIZATION, "Bearer " + token);
            target = ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(headers));
        }
        CallOptions options = CallOptions.DEFAULT.withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS);
        if (method.getType() == MethodDescriptor.MethodType.UNARY) {
            ClientCalls.blockingUnaryCall(target, method, options, request);
            return;
        }
        // A stream: its first message or its error says whether the call got past the check.
        Channel streamTarget = target;
        io.grpc.Context.CancellableContext context = io.grpc.Context.current().withCancellation();
        try {
            context.run(() -> {
                Iterator<Message> messages = ClientCalls.blockingServerStreamingCall(streamTarget, method, options, request);
                messages.hasNext();
            });
        } finally {
            context.cancel(null);
        }
    }

    private static ErrorInfo errorInfo(StatusRuntimeException e) {
        com.google.rpc.Status status = StatusProto.fromThrowable(e);
        if (status == null) {
            fail("no google.rpc.Status in " + e.getStatus());
        }
        for (Any detail : status.getDetailsList()) {
            if (detail.is(ErrorInfo.class)) {
                try {
                    return detail.unpack(ErrorInfo.class);
                } catch (InvalidProtocolBufferException ex) {
                    throw new IllegalStateException(ex);
                }
            }
        }
        return fail("no ErrorInfo in " + e.getStatus());
    }
}
