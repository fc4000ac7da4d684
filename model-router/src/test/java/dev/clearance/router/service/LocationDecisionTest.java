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
import dev.clearance.router.location.RequestLocator;
import dev.clearance.router.location.RequestLocatorTest;
import dev.clearance.router.location.TrustedProxies;
import dev.clearance.router.v1.ModelRouterServiceGrpc;
import dev.clearance.testing.geoip.CityTestDatabase;
import io.grpc.Attributes;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.Status;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Location through the router's own path: the credential interceptor records the client address
 * (connection peer, or X-Forwarded-For from a trusted proxy) in the gRPC context, the decider
 * locates it on MaxMind's test databases (or the generated City database, for regions) and the
 * engine refuses embargoed countries and regions.
 */
class LocationDecisionTest {

    private static final String IRAN_V6 = "2a02:d2c0::1";
    private static final String PROXY = "10.0.0.5";

    private final PolicySnapshot snapshot = TestSnapshots.scenario(12);
    private final CallerIdentity alice = TestSnapshots.person("alice", UsPersonStatus.US_PERSON_STATUS_US_CITIZEN, "US");
    private final AccessDecider decider = new AccessDecider();
    private final CredentialInterceptor interceptor =
            new CredentialInterceptor(new ClientAddresses(TrustedProxies.parse(List.of("10.0.0.0/8"))));

    /** The same router path with a City database: country and ISO 3166-2 region. */
    private final AccessDecider cityDecider = new AccessDecider();

    LocationDecisionTest() {
        decider.locator = RequestLocatorTest.testLocator();
        cityDecider.locator = RequestLocatorTest.cityLocator();
    }

    /** Runs one ExplainAccess call from {@code peer} through the interceptor; returns the location the decider sees. */
    private Location callFrom(String peer, String... forwardedFor) {
        return callFrom(decider, peer, forwardedFor);
    }

    private Location callFrom(AccessDecider decider, String peer, String... forwardedFor) {
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

    @Test
    void aCrimeanAddressIsDeniedEmbargoedRegionNamingUa43AndTheCitation() {
        Location location = callFrom(cityDecider, PROXY, CityTestDatabase.CRIMEA);
        assertEquals("UA", location.country());
        assertEquals("UA-43", location.region());
        List<String> logged = new ArrayList<>();
        var decided = withDecisionLog(logged, () -> cityDecider.decide(snapshot, alice, "lyric-3", true, false, location));
        var d = decided.proto();
        assertEquals(Outcome.OUTCOME_DENY, d.getOutcome());
        assertEquals(ReasonCode.REASON_CODE_EMBARGOED_REGION, d.getReasons(0).getCode());
        assertTrue(d.getReasons(0).getMessage().contains("UA-43"), d.getReasons(0).getMessage());
        assertEquals("15 CFR Part 746", d.getReasons(0).getCitation());
        assertEquals("UA", d.getRequestLocation().getCountry());
        assertEquals("UA-43", d.getRequestLocation().getRegion());
        // the decision log records the region next to the country
        assertEquals(1, logged.size(), logged::toString);
        assertTrue(logged.get(0).contains("reason=EMBARGOED_REGION") && logged.get(0).contains("country=UA region=UA-43"),
                logged.get(0));
        // a direct connection, over IPv6, and the other embargoed regions (15 CFR 746.6)
        for (String address : List.of(CityTestDatabase.CRIMEA_V6, CityTestDatabase.SEVASTOPOL,
                CityTestDatabase.DONETSK, CityTestDatabase.LUHANSK)) {
            Location l = callFrom(cityDecider, address);
            assertEquals(Outcome.OUTCOME_DENY, cityDecider.decide(snapshot, alice, "lyric-3", true, false, l).proto()
                    .getOutcome(), address + " " + l);
        }
    }

    @Test
    void kyivAndUkraineWithoutARegionAreServed() {
        Location kyiv = callFrom(cityDecider, PROXY, CityTestDatabase.KYIV);
        assertEquals("UA-30", kyiv.region());
        var d = cityDecider.decide(snapshot, alice, "lyric-3", true, false, kyiv).proto();
        assertEquals(Outcome.OUTCOME_ALLOW, d.getOutcome());
        assertEquals("UA-30", d.getRequestLocation().getRegion());
        assertEquals(Outcome.OUTCOME_ALLOW, cityDecider.decide(snapshot, alice, "fable-5", true, false,
                callFrom(cityDecider, CityTestDatabase.KYIV_V6)).proto().getOutcome());
        Location ukraine = callFrom(cityDecider, PROXY, CityTestDatabase.UKRAINE_NO_SUBDIVISION);
        assertNull(ukraine.region());
        assertEquals(Outcome.OUTCOME_ALLOW, cityDecider.decide(snapshot, alice, "lyric-3", true, false, ukraine)
                .proto().getOutcome());
    }

    @Test
    void anEmbargoedCountrysRegionIsDeniedByItsCountry() {
        Location tehran = callFrom(cityDecider, CityTestDatabase.TEHRAN_V6);
        assertEquals("IR-23", tehran.region());
        var d = cityDecider.decide(snapshot, alice, "lyric-3", true, false, tehran).proto();
        assertEquals(Outcome.OUTCOME_DENY, d.getOutcome());
        assertEquals(ReasonCode.REASON_CODE_EMBARGOED_REGION, d.getReasons(0).getCode());
    }

    @Test
    void aCountryDatabaseCannotSeeRegions() {
        // The same records typed GeoIP2-Country: only UA for the Crimean address, which is not embargoed.
        // This is why the router warns at start-up (RequestLocator) and the README asks for a City database.
        RequestLocator countryOnly = new RequestLocator(CityTestDatabase.writeTemporary("GeoIP2-Country"), null);
        assertEquals(false, countryOnly.locatesRegions());
        AccessDecider d = new AccessDecider();
        d.locator = countryOnly;
        Location ua = callFrom(d, CityTestDatabase.CRIMEA);
        assertEquals("UA", ua.regionCode());
        assertNull(ua.region());
        assertEquals(Outcome.OUTCOME_ALLOW, d.decide(snapshot, alice, "lyric-3", true, false, ua).proto().getOutcome());
    }

    /** Runs {@code action} collecting the decision log lines AccessDecider writes meanwhile. */
    private static <T> T withDecisionLog(List<String> lines, java.util.function.Supplier<T> action) {
        Logger logger = Logger.getLogger(AccessDecider.class.getName());
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                String message = record.getParameters() == null || record.getParameters().length == 0
                        ? record.getMessage() : String.format(record.getMessage(), record.getParameters());
                if (message != null && message.startsWith("decision ")) {
                    lines.add(message);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        logger.addHandler(handler);
        try {
            return action.get();
        } finally {
            logger.removeHandler(handler);
        }
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
