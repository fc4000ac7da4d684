package dev.clearance.router.grpc;

import com.google.rpc.ErrorInfo;
import dev.clearance.api.ApiError;
import dev.clearance.router.TestSnapshots;
import dev.clearance.router.policy.CurrentPolicy;
import dev.clearance.router.v1.ExplainAccessRequest;
import dev.clearance.router.v1.GenerateRequest;
import dev.clearance.router.v1.ListModelsRequest;
import dev.clearance.router.v1.ModelRouterServiceGrpc;
import dev.clearance.router.v1.StreamGenerateRequest;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import grpc.health.v1.HealthGrpc;
import grpc.health.v1.HealthOuterClass.HealthCheckRequest;
import grpc.reflection.v1alpha.Reflection.ServerReflectionRequest;
import grpc.reflection.v1alpha.Reflection.ServerReflectionResponse;
import grpc.reflection.v1alpha.Reflection.ServiceResponse;
import grpc.reflection.v1alpha.ServerReflectionGrpc;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The router over real gRPC on its test port, without identity- or entitlement-service: both
 * clients point at a closed port (see application.properties), so these tests exercise
 * authentication, the no-policy state and the identity outage. The allowed path needs the
 * real services and is covered by the suite's end-to-end test.
 */
@QuarkusTest
class ModelRouterGrpcServiceTest {

    private static ManagedChannel channel;

    @Inject
    CurrentPolicy current;

    @BeforeAll
    static void connect() {
        channel = ManagedChannelBuilder.forAddress("localhost", 19100).usePlaintext().build();
    }

    @AfterAll
    static void disconnect() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    @BeforeEach
    @AfterEach
    void noPolicy() {
        current.clear();
    }

    private static ModelRouterServiceGrpc.ModelRouterServiceBlockingStub router(String... headers) {
        Metadata metadata = new Metadata();
        for (int i = 0; i < headers.length; i += 2) {
            metadata.put(Metadata.Key.of(headers[i], Metadata.ASCII_STRING_MARSHALLER), headers[i + 1]);
        }
        return ModelRouterServiceGrpc.newBlockingStub(channel)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(metadata))
                .withDeadlineAfter(20, TimeUnit.SECONDS);
    }

    private static ErrorInfo fails(Status.Code code, Executable call) {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, call);
        assertEquals(code, e.getStatus().getCode(), e.getStatus().toString());
        return ApiError.errorInfo(e).orElseThrow(() -> new AssertionError("no ErrorInfo on " + e.getStatus()));
    }

    private static void everyRpcFails(ModelRouterServiceGrpc.ModelRouterServiceBlockingStub stub, String model,
                                      Status.Code code, String reason) {
        assertEquals(reason, fails(code, () -> stub.generate(
                GenerateRequest.newBuilder().setModel(model).setPrompt("hi").build())).getReason(), "Generate");
        assertEquals(reason, fails(code, () -> stub.streamGenerate(
                StreamGenerateRequest.newBuilder().setModel(model).setPrompt("hi").build()).forEachRemaining(m -> {
                })).getReason(), "StreamGenerate");
        assertEquals(reason, fails(code, () -> stub.listModels(ListModelsRequest.getDefaultInstance()))
                .getReason(), "ListModels");
        assertEquals(reason, fails(code, () -> stub.explainAccess(
                ExplainAccessRequest.newBuilder().setModel(model).build())).getReason(), "ExplainAccess");
    }

    @Test
    void noCredentialIsUnauthenticatedOnEveryRpc() {
        current.offer(TestSnapshots.scenario(1));
        everyRpcFails(router(), "fable-5", Status.Code.UNAUTHENTICATED, "CREDENTIAL_MISSING");
    }

    @Test
    void authenticationComesBeforeModelValidation() {
        current.offer(TestSnapshots.scenario(1));
        ErrorInfo info = fails(Status.Code.UNAUTHENTICATED,
                () -> router().generate(GenerateRequest.newBuilder().setModel("").build()));
        assertEquals("CREDENTIAL_MISSING", info.getReason());
        assertEquals("router.clearance.dev", info.getDomain());
    }

    @Test
    void headersAssertingNationalityAreNotACredential() {
        current.offer(TestSnapshots.scenario(1));
        assertEquals("CREDENTIAL_MISSING", fails(Status.Code.UNAUTHENTICATED,
                () -> router("x-nationality", "US", "x-us-person-status", "US_CITIZEN")
                        .generate(GenerateRequest.newBuilder().setModel("fable-5").build())).getReason());
    }

    @Test
    void malformedCredentialsAreInvalid() {
        current.offer(TestSnapshots.scenario(1));
        everyRpcFails(router("authorization", "Basic dXNlcjpwYXNz"), "fable-5",
                Status.Code.UNAUTHENTICATED, "CREDENTIAL_INVALID");
        everyRpcFails(router("authorization", "Bearer a", "x-api-key", "b"), "fable-5",
                Status.Code.UNAUTHENTICATED, "CREDENTIAL_INVALID");
    }

    @Test
    void withoutAPolicySnapshotEveryRequestIsRefused() {
        everyRpcFails(router("authorization", "Bearer some.token.value"), "lyric-3",
                Status.Code.UNAVAILABLE, "POLICY_UNAVAILABLE");
        everyRpcFails(router("x-api-key", "ck_test_key"), "fable-5",
                Status.Code.UNAVAILABLE, "POLICY_UNAVAILABLE");
    }

    @Test
    void identityServiceUnreachableRefusesAndNeverAllows() {
        current.offer(TestSnapshots.scenario(1));
        for (String model : new String[] {"fable-5", "fable-4", "lyric-3", "fable-latest"}) {
            everyRpcFails(router("authorization", "Bearer some.token.value"), model,
                    Status.Code.UNAVAILABLE, "IDENTITY_UNAVAILABLE");
            everyRpcFails(router("x-api-key", "ck_test_key"), model,
                    Status.Code.UNAVAILABLE, "IDENTITY_UNAVAILABLE");
        }
    }

    @Test
    void healthAndReflectionNeedNoCredential() throws Exception {
        // The credential interceptor guards the router service only: generic tools must work.
        HealthGrpc.newBlockingStub(channel).withDeadlineAfter(20, TimeUnit.SECONDS)
                .check(HealthCheckRequest.newBuilder().setService("").build());

        CompletableFuture<List<String>> services = new CompletableFuture<>();
        StreamObserver<ServerReflectionRequest> requests = ServerReflectionGrpc.newStub(channel)
                .withDeadlineAfter(20, TimeUnit.SECONDS)
                .serverReflectionInfo(new StreamObserver<>() {
                    @Override
                    public void onNext(ServerReflectionResponse response) {
                        services.complete(response.getListServicesResponse().getServiceList().stream()
                                .map(ServiceResponse::getName).toList());
                    }

                    @Override
                    public void onError(Throwable t) {
                        services.completeExceptionally(t);
                    }

                    @Override
                    public void onCompleted() {
                        services.completeExceptionally(new AssertionError("no reflection answer"));
                    }
                });
        requests.onNext(ServerReflectionRequest.newBuilder().setListServices("*").build());
        List<String> names = services.get(20, TimeUnit.SECONDS);
        requests.onCompleted();
        assertTrue(names.contains("clearance.router.v1.ModelRouterService"), names.toString());
    }

    @Test
    void notReadyUntilASnapshotIsHeld() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest ready = HttpRequest.newBuilder(URI.create("http://localhost:18100/q/health/ready")).build();
        HttpResponse<String> before = http.send(ready, HttpResponse.BodyHandlers.ofString());
        assertEquals(503, before.statusCode(), before.body());

        current.offer(TestSnapshots.scenario(42));
        HttpResponse<String> after = http.send(ready, HttpResponse.BodyHandlers.ofString());
        assertEquals(200, after.statusCode(), after.body());
        assertTrue(after.body().contains("42"), after.body());
    }
}
