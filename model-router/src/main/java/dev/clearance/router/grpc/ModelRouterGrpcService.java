package dev.clearance.router.grpc;

import dev.clearance.router.auth.Credential;
import dev.clearance.router.auth.CredentialInterceptor;
import dev.clearance.router.service.AccessDecider;
import dev.clearance.router.service.ModelGateway;
import dev.clearance.router.service.RouterErrors;
import dev.clearance.router.v1.ExplainAccessRequest;
import dev.clearance.router.v1.ExplainAccessResponse;
import dev.clearance.router.v1.GenerateRequest;
import dev.clearance.router.v1.GenerateResponse;
import dev.clearance.router.v1.ListModelsRequest;
import dev.clearance.router.v1.ListModelsResponse;
import dev.clearance.router.v1.ModelRouterService;
import dev.clearance.router.v1.StreamGenerateRequest;
import dev.clearance.router.v1.StreamGenerateResponse;
import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;

import java.util.function.Function;

/** Thin: takes the credential the interceptor established, delegates, maps failures. */
@GrpcService
public class ModelRouterGrpcService implements ModelRouterService {

    @Inject
    ModelGateway gateway;

    @Inject
    AccessDecider decider;

    @Override
    public Uni<GenerateResponse> generate(GenerateRequest request) {
        return unary(credential -> gateway.generate(credential, request.getModel(), request.getPrompt(),
                request.getForbidFallback()));
    }

    @Override
    public Multi<StreamGenerateResponse> streamGenerate(StreamGenerateRequest request) {
        // Read now: the gRPC context is attached only while the call's listener runs.
        Credential credential = CredentialInterceptor.current();
        return Multi.createFrom().deferred(() -> gateway.stream(required(credential), request.getModel(),
                        request.getPrompt(), request.getForbidFallback()))
                .onFailure().transform(RouterErrors::toStatus);
    }

    @Override
    public Uni<ListModelsResponse> listModels(ListModelsRequest request) {
        return unary(decider::listModels);
    }

    @Override
    public Uni<ExplainAccessResponse> explainAccess(ExplainAccessRequest request) {
        return unary(credential -> {
            // A cached caller is decided at once, as Generate does; otherwise through the reactive path.
            AccessDecider.Decided now = decider.decideNow(credential, request.getModel(), !request.getForbidFallback());
            return now != null ? Uni.createFrom().item(explained(now))
                    : decider.decide(credential, request.getModel(), !request.getForbidFallback()).map(ModelRouterGrpcService::explained);
        });
    }

    private static ExplainAccessResponse explained(AccessDecider.Decided decided) {
        return ExplainAccessResponse.newBuilder().setDecision(decided.proto()).build();
    }

    private static <T> Uni<T> unary(Function<Credential, Uni<T>> call) {
        Credential credential = CredentialInterceptor.current();
        return Uni.createFrom().deferred(() -> call.apply(required(credential)))
                .onFailure().transform(RouterErrors::toStatus);
    }

    private static Credential required(Credential credential) {
        if (credential == null) {
            throw new IllegalStateException("no credential in the gRPC context: CredentialInterceptor did not run");
        }
        return credential;
    }
}
