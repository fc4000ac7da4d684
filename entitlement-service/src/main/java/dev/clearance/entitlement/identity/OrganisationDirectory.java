package dev.clearance.entitlement.identity;

import dev.clearance.access.Operator;
import dev.clearance.api.ApiError;
import dev.clearance.common.v1.ErrorReason;
import dev.clearance.entitlement.v1.CarveOut;
import dev.clearance.entitlement.v1.Directive;
import dev.clearance.identity.v1.GetOrganisationRequest;
import dev.clearance.identity.v1.MutinyIdentityServiceGrpc;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.clearance.entitlement.EntitlementErrors.DOMAIN;

/**
 * Which organisations a directive's carve-outs name that identity-service does not know.
 * Organisations are identity-service's; a directive exempting one that does not exist would be a
 * silent typo in a legal instrument.
 */
@ApplicationScoped
public class OrganisationDirectory {

    private static final Logger LOG = Logger.getLogger(OrganisationDirectory.class);

    /** A carve-out field naming an organisation identity-service does not know. */
    public record Missing(String field, String organisation) {
    }

    private final MutinyIdentityServiceGrpc.MutinyIdentityServiceStub identity;
    private final Duration timeout;

    public OrganisationDirectory(@GrpcClient("identity") MutinyIdentityServiceGrpc.MutinyIdentityServiceStub identity,
                                 @ConfigProperty(name = "clearance.identity.timeout", defaultValue = "5s") Duration timeout) {
        this.identity = identity;
        this.timeout = timeout;
    }

    /**
     * The organisation carve-outs of {@code d} that do not exist; no call at all when it names none.
     * Completes on the caller's Vert.x context, so a Hibernate Reactive session may follow.
     *
     * @param caller the operator whose bearer token identity-service checks (and logs); identity-service
     *               refuses a call without one
     */
    public Uni<List<Missing>> missingCarveOuts(Directive d, Operator caller) {
        Context context = Vertx.currentContext();
        Uni<List<Missing>> result = Uni.createFrom().item(new ArrayList<>());
        boolean any = false;
        for (int i = 0; i < d.getCarveOutsCount(); i++) {
            CarveOut c = d.getCarveOuts(i);
            if (c.getExemptCase() != CarveOut.ExemptCase.ORGANISATION) {
                continue;
            }
            any = true;
            String field = "directive.carve_outs[" + i + "].organisation";
            String name = c.getOrganisation();
            result = result.chain(missing -> exists(name, caller).map(found -> {
                if (!found) {
                    missing.add(new Missing(field, name));
                }
                return missing;
            }));
        }
        if (!any) {
            return Uni.createFrom().item(List.of());
        }
        Uni<List<Missing>> done = result.map(List::copyOf);
        return context == null ? done : done.emitOn(task -> context.runOnContext(ignored -> task.run()));
    }

    private Uni<Boolean> exists(String organisation, Operator caller) {
        return IdentityCredential.onBehalf(caller, identity).withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .getOrganisation(GetOrganisationRequest.newBuilder().setName(organisation).build())
                .map(found -> Boolean.TRUE)
                .onFailure(e -> e instanceof StatusRuntimeException sre && sre.getStatus().getCode() == Status.Code.NOT_FOUND)
                .recoverWithItem(Boolean.FALSE)
                .onFailure().transform(e -> IdentityCredential.refused(e)
                        ? IdentityCredential.refusal(e, "check " + organisation) : unavailable(e, organisation));
    }

    static Throwable unavailable(Throwable e, String organisation) {
        if (e instanceof StatusRuntimeException sre) {
            LOG.warnf("identity-service could not confirm %s: %s", organisation, sre.getStatus());
        } else {
            LOG.warnf(e, "identity-service could not confirm %s", organisation);
        }
        return ApiError.unavailable(ErrorReason.ERROR_REASON_IDENTITY_UNAVAILABLE, DOMAIN,
                "identity-service could not be reached to check " + organisation)
                .put("organisation", organisation).toException();
    }
}
