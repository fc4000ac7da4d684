package dev.clearance.bench.echo;

import com.google.protobuf.Timestamp;
import dev.clearance.common.v1.Decision;
import dev.clearance.common.v1.ModelReference;
import dev.clearance.common.v1.Outcome;
import dev.clearance.common.v1.Reason;
import dev.clearance.common.v1.ReasonCode;
import dev.clearance.router.v1.ExplainAccessRequest;
import dev.clearance.router.v1.ExplainAccessResponse;
import dev.clearance.router.v1.GenerateRequest;
import dev.clearance.router.v1.GenerateResponse;
import dev.clearance.router.v1.ListModelsRequest;
import dev.clearance.router.v1.ListModelsResponse;
import dev.clearance.router.v1.ModelRouterService;
import dev.clearance.router.v1.StreamGenerateRequest;
import dev.clearance.router.v1.StreamGenerateResponse;
import io.grpc.Status;
import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

import java.time.Instant;
import java.util.UUID;

/**
 * The router's Generate with nothing behind it: no credential, no identity, no policy. It answers
 * what the router answers for an allowed call (a decision with id, outcome, model reference,
 * one reason, revisions and time, the served model and the echo backend's text), so both sides of
 * the comparison put the same bytes on the wire and differ only in the router's own work.
 */
@GrpcService
public class BareEchoService implements ModelRouterService {

    @Override
    public Uni<GenerateResponse> generate(GenerateRequest request) {
        String model = request.getModel();
        Instant now = Instant.now();
        Decision decision = Decision.newBuilder()
                .setDecisionId(UUID.randomUUID().toString())
                .setOutcome(Outcome.OUTCOME_ALLOW)
                .setRequestedModel(ModelReference.newBuilder().setRequested(model).setVersion(model))
                .setServedModel(model)
                .addReasons(Reason.newBuilder().setCode(ReasonCode.REASON_CODE_ENTITLED).setModel(model))
                .setPolicyRevision(1)
                .setIdentityRevision(1)
                .setDecideTime(Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano()))
                .build();
        return Uni.createFrom().item(GenerateResponse.newBuilder()
                .setDecision(decision)
                .setServedModel(model)
                .setOutput("[" + model + "] echo: " + request.getPrompt())
                .build());
    }

    @Override
    public Multi<StreamGenerateResponse> streamGenerate(StreamGenerateRequest request) {
        return Multi.createFrom().failure(Status.UNIMPLEMENTED.asRuntimeException());
    }

    @Override
    public Uni<ListModelsResponse> listModels(ListModelsRequest request) {
        return Uni.createFrom().failure(Status.UNIMPLEMENTED.asRuntimeException());
    }

    @Override
    public Uni<ExplainAccessResponse> explainAccess(ExplainAccessRequest request) {
        return Uni.createFrom().failure(Status.UNIMPLEMENTED.asRuntimeException());
    }
}
