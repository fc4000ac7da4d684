package dev.clearance.router.telemetry;

import dev.clearance.common.v1.CallerIdentity;
import dev.clearance.common.v1.UsPersonStatus;
import dev.clearance.identity.v1.IdentityServiceGrpc;
import dev.clearance.identity.v1.ResolveCallerRequest;
import dev.clearance.identity.v1.ResolveCallerResponse;
import dev.clearance.identity.v1.WatchIdentityChangesRequest;
import dev.clearance.identity.v1.WatchIdentityChangesResponse;
import dev.clearance.router.TestSnapshots;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;

/**
 * Stands in for identity-service in the router's tests, served by the test application itself:
 * under {@link StandInIdentityProfile} the router's identity client points at its own gRPC port,
 * so the router's own tests can make decisions that are allowed. Two kinds of API key resolve to
 * two verified people of organisation acme (a US citizen and a Ukrainian national). Other tests
 * keep the identity client on a closed port and never reach it. The real identity-service runs
 * in the suite's end-to-end tests.
 */
@GrpcService
public class StandInIdentityService extends IdentityServiceGrpc.IdentityServiceImplBase {

    /** An API key whose holder is a US citizen (tier pro: fable-5 allowed). */
    static final String US_KEY_PREFIX = "ck_us_";
    /** An API key whose holder is a foreign person (the directive denies fable-5). */
    static final String FOREIGN_KEY_PREFIX = "ck_ua_";
    /** Looks like personal data; the router must never log it. */
    static final String SUBJECT = "alice.example@example.com";

    @Override
    public void resolveCaller(ResolveCallerRequest request, StreamObserver<ResolveCallerResponse> response) {
        String key = request.getApiKey();
        CallerIdentity caller;
        if (key.startsWith(US_KEY_PREFIX)) {
            caller = TestSnapshots.person("alice", UsPersonStatus.US_PERSON_STATUS_US_CITIZEN, "US");
        } else if (key.startsWith(FOREIGN_KEY_PREFIX)) {
            caller = TestSnapshots.person("bogdan", UsPersonStatus.US_PERSON_STATUS_FOREIGN_PERSON, "UA");
        } else {
            response.onError(Status.UNAUTHENTICATED.withDescription("unknown key").asRuntimeException());
            return;
        }
        response.onNext(ResolveCallerResponse.newBuilder().setCaller(caller.toBuilder().setSubject(SUBJECT)).build());
        response.onCompleted();
    }

    @Override
    public void watchIdentityChanges(WatchIdentityChangesRequest request,
                                     StreamObserver<WatchIdentityChangesResponse> response) {
        // Open and quiet after the first heartbeat (as identity-service sends at once): the stream is
        // established, no changes follow, so the router's cache is trusted (and never flushed) here.
        response.onNext(WatchIdentityChangesResponse.newBuilder().setHeartbeat(true).build());
    }
}
