package dev.clearance.router.service;

import com.google.common.net.InetAddresses;
import dev.clearance.common.v1.CallerIdentity;
import dev.clearance.common.v1.Outcome;
import dev.clearance.common.v1.ReasonCode;
import dev.clearance.common.v1.UsPersonStatus;
import dev.clearance.policy.PolicySnapshot;
import dev.clearance.router.TestSnapshots;
import dev.clearance.router.auth.CredentialInterceptor;
import dev.clearance.router.location.ClientAddresses;
import dev.clearance.router.location.Location;
import dev.clearance.router.location.RequestLocatorTest;
import dev.clearance.router.location.TrustedProxies;
import dev.clearance.router.v1.ModelRouterServiceGrpc;
import io.grpc.Attributes;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.Status;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Location through the router's own path: the credential interceptor records the client address
 * (connection peer, or X-Forwarded-For from a trusted proxy) in the gRPC context, the decider
 * locates it on MaxMind's test databases and the engine refuses embargoed regions.
 */
class LocationDecisionTest {

    private static final String IRAN_V6 = "2a02:d2c0::1";
    private static final String PROXY = "10.0.0.5";

    private final PolicySnapshot snapshot = TestSnapshots.scenario(12);
    private final CallerIdentity alice = TestSnapshots.person("alice", UsPersonStatus.US_PERSON_STATUS_US_CITIZEN, "US");
    private final AccessDecider decider = new AccessDecider();
    private final CredentialInterceptor interceptor =
            new CredentialInterceptor(new ClientAddresses(TrustedProxies.parse(List.of("10.0.0.0/8"))));

    LocationDecisionTest() {
        decider.locator = RequestLocatorTest.testLocator();
    }

    /** Runs one ExplainAccess call from {@code peer} through the interceptor; returns the location the decider sees. */
    private Location callFrom(String peer, String... forwardedFor) {
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer tok");
        for (String value : forwardedFor) {
            headers.put(Metadata.Key.of("x-forwarded-for", Metadata.ASCII_STRING_MARSHALLER), value);
        }
        AtomicReference<Location> seen = new AtomicReference<>();
        interceptor.interceptCall(new FakeCall(peer), headers, (call, h) -> {
            seen.set(decider.currentLocation());
            return new ServerCall.Listener<>() {
            };
        });
        return seen.get();
    }

    private Outcome decideFrom(Location location, String model) {
        return decider.decide(snapshot, alice, model, true, false, location).proto().getOutcome();
    }

    @Test
    void iranianAddressViaTrustedProxyIsDeniedEmbargoedRegion() {
        Location location = callFrom(PROXY, IRAN_V6);
        assertEquals("IR", location.country());
        var decided = decider.decide(snapshot, alice, "lyric-3", true, false, location);
        assertEquals(Outcome.OUTCOME_DENY, decided.proto().getOutcome());
        assertEquals(ReasonCode.REASON_CODE_EMBARGOED_REGION, decided.proto().getReasons(0).getCode());
        // the embargo has no fallback, and a US citizen's nationality is unchanged by location
        assertEquals(Outcome.OUTCOME_DENY, decideFrom(location, "fable-5"));
        assertEquals(List.of("US"), alice.getCitizenshipsList());
    }

    @Test
    void theSameHeaderFromAnUntrustedPeerIsIgnored() {
        Location location = callFrom("89.160.20.112", IRAN_V6);
        assertEquals("SE", location.country());
        assertEquals(Outcome.OUTCOME_ALLOW, decideFrom(location, "lyric-3"));
    }

    @Test
    void aDirectIranianConnectionIsDenied() {
        Location location = callFrom(IRAN_V6);
        assertEquals("IR", location.country());
        assertEquals(Outcome.OUTCOME_DENY, decideFrom(location, "lyric-3"));
    }

    @Test
    void vpnFlagsAreRecordedButDoNotDecide() {
        Location location = callFrom(PROXY, "81.2.69.142");
        assertEquals("GB", location.country());
        assertEquals("anonymous,vpn,proxy,tor,hosting", location.flags());
        assertEquals(Outcome.OUTCOME_ALLOW, decideFrom(location, "fable-5"));
        var recorded = decider.decide(snapshot, alice, "fable-5", true, false, location).proto().getRequestLocation();
        assertEquals("GB", recorded.getCountry());
        assertEquals(true, recorded.getVpn() && recorded.getPublicProxy() && recorded.getTorExit()
                && recorded.getHostingProvider() && recorded.getAnonymous());
        assertEquals("", recorded.getRegion());
    }

    @Test
    void unknownLocationMeansNoEmbargoCheck() {
        Location location = callFrom(PROXY, "garbage");
        assertNull(location.country());
        assertEquals(Outcome.OUTCOME_ALLOW, decideFrom(location, "lyric-3"));
        assertEquals(false, decider.decide(snapshot, alice, "lyric-3", true, false, location).proto().hasRequestLocation());
        assertEquals(Location.UNKNOWN, new AccessDecider().currentLocation());
    }

    @Test
    void listModelsFromAnEmbargoedRegionRefusesEverything() {
        var response = decider.listModels(snapshot, alice, false, callFrom(PROXY, IRAN_V6));
        response.getModelsList().forEach(m -> assertEquals(false, m.getAllowed(), m.toString()));
    }

    /** A server call with only a peer address and the ExplainAccess method. */
    private static final class FakeCall extends ServerCall<Object, Object> {
        private final Attributes attributes;

        FakeCall(String peer) {
            attributes = Attributes.newBuilder().set(Grpc.TRANSPORT_ATTR_REMOTE_ADDR,
                    new InetSocketAddress(InetAddresses.forString(peer), 50000)).build();
        }

        @Override
        public void request(int numMessages) {
        }

        @Override
        public void sendHeaders(Metadata headers) {
        }

        @Override
        public void sendMessage(Object message) {
        }

        @Override
        public void close(Status status, Metadata trailers) {
            throw new AssertionError("closed: " + status);
        }

        @Override
        public boolean isCancelled() {
            return false;
        }

        @Override
        public Attributes getAttributes() {
            return attributes;
        }

        @Override
        @SuppressWarnings({"unchecked", "rawtypes"})
        public MethodDescriptor<Object, Object> getMethodDescriptor() {
            return (MethodDescriptor) ModelRouterServiceGrpc.getExplainAccessMethod();
        }
    }
}
