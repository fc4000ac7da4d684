package dev.clearance.suite;

import dev.clearance.common.v1.Decision;
import dev.clearance.common.v1.Reason;
import dev.clearance.router.v1.ExplainAccessRequest;
import dev.clearance.router.v1.GenerateRequest;
import dev.clearance.router.v1.GenerateResponse;
import dev.clearance.router.v1.ModelRouterServiceGrpc;
import io.grpc.Channel;

import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/** The router as one caller sees it: every call carries that caller's credentials. */
public final class RouterClient {

    private static final long DEADLINE_SECONDS = 30;

    private final Channel channel;
    private final CallerCredentials credentials;

    public RouterClient(Channel channel, CallerCredentials credentials) {
        this.channel = channel;
        this.credentials = credentials;
    }

    public ModelRouterServiceGrpc.ModelRouterServiceBlockingStub stub() {
        ModelRouterServiceGrpc.ModelRouterServiceBlockingStub stub = ModelRouterServiceGrpc.newBlockingStub(channel);
        return (credentials == null ? stub : stub.withInterceptors(credentials))
                .withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS);
    }

    public GenerateResponse generate(String model, boolean forbidFallback) {
        return stub().generate(GenerateRequest.newBuilder()
                .setModel(model)
                .setPrompt("Say which model you are.")
                .setForbidFallback(forbidFallback)
                .build());
    }

    public Decision explain(String model, boolean forbidFallback) {
        return stub().explainAccess(ExplainAccessRequest.newBuilder()
                .setModel(model)
                .setForbidFallback(forbidFallback)
                .build()).getDecision();
    }

    /** {@code DIRECTIVE directives/x (citation); ENTITLED ...}: the reasons in order, for people. */
    public static String reasons(Decision d) {
        return d.getReasonsList().stream().map(RouterClient::reason).collect(Collectors.joining("; "));
    }

    public static String reason(Reason r) {
        StringBuilder b = new StringBuilder(r.getCode().name().replace("REASON_CODE_", ""));
        if (!r.getDirective().isEmpty()) {
            b.append(' ').append(r.getDirective());
        }
        if (!r.getCitation().isEmpty()) {
            b.append(" (").append(r.getCitation()).append(')');
        }
        return b.toString();
    }

    public static String outcome(Decision d) {
        return d.getOutcome().name().replace("OUTCOME_", "");
    }
}
