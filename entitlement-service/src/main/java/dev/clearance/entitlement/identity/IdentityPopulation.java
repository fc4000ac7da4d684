package dev.clearance.entitlement.identity;

import dev.clearance.access.Operator;
import dev.clearance.api.ApiError;
import dev.clearance.api.mapping.CallerMapping;
import dev.clearance.common.v1.CallerIdentity;
import dev.clearance.common.v1.ErrorReason;
import dev.clearance.common.v1.ScreeningStatus;
import dev.clearance.entitlement.preview.Population;
import dev.clearance.entitlement.preview.PopulationSource;
import dev.clearance.identity.v1.Citizenship;
import dev.clearance.identity.v1.ApiKey;
import dev.clearance.identity.v1.StreamPopulationRequest;
import dev.clearance.identity.v1.StreamPopulationResponse;
import dev.clearance.identity.v1.MutinyIdentityServiceGrpc;
import dev.clearance.identity.v1.Organisation;
import dev.clearance.identity.v1.Person;
import dev.clearance.policy.Caller;
import com.google.protobuf.Timestamp;
import io.grpc.Deadline;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static dev.clearance.entitlement.EntitlementErrors.DOMAIN;

/**
 * The preview population from identity-service's {@code StreamPopulation}: one server stream that
 * sends every organisation, person and active API key in batches of {@value #BATCH}, read there
 * by keyset-paginated queries (the former 100 sequential ListPersons pages of 1000 were most of a
 * 100,000-person preview's time). The stream carries the calling officer's bearer token
 * (identity-service checks the officer's role) and a deadline: the earlier of the preview call's
 * and {@code clearance.preview.identity-timeout}. A person's verification time comes with them, so
 * a directive's maximum evidence age is judged as the router judges it; a person without one is
 * of unknown evidence age and counts as matching such a directive (fail closed).
 */
@ApplicationScoped
public class IdentityPopulation implements PopulationSource {

    private static final Logger LOG = Logger.getLogger(IdentityPopulation.class);
    private static final int BATCH = 5000;
    /** Unknown evidence age: older than any maximum a directive can set (not 0: that reads as unset). */
    private static final Timestamp UNKNOWN_VERIFY_TIME = Timestamp.newBuilder().setSeconds(1).build();

    private final MutinyIdentityServiceGrpc.MutinyIdentityServiceStub identity;
    private final Duration timeout;

    /**
     * @param timeout the deadline of the whole listing (not {@code clearance.identity.timeout}, which
     *                bounds one ResolveCaller on the Check path)
     */
    public IdentityPopulation(@GrpcClient("identity") MutinyIdentityServiceGrpc.MutinyIdentityServiceStub identity,
                              @ConfigProperty(name = "clearance.preview.identity-timeout", defaultValue = "2m")
                              Duration timeout) {
        this.identity = identity;
        this.timeout = timeout;
    }

    /** What the stream sent, and how it went, for the log: where a slow preview spends its time. */
    private static final class Listing {
        final List<Organisation> organisations = new ArrayList<>();
        final List<Person> persons = new ArrayList<>(1024);
        final List<ApiKey> apiKeys = new ArrayList<>();
        final long start = System.nanoTime();
        long last = start;
        int messages;
        long slowestGapMillis;

        void add(StreamPopulationResponse m) {
            long now = System.nanoTime();
            messages++;
            slowestGapMillis = Math.max(slowestGapMillis, (now - last) / 1_000_000);
            last = now;
            organisations.addAll(m.getOrganisationsList());
            persons.addAll(m.getPersonsList());
            apiKeys.addAll(m.getApiKeysList());
        }
    }

    /**
     * When the caller's deadline passes (or it cancels), the stream ends with DEADLINE_EXCEEDED or
     * CANCELLED: that is the caller's limit, not identity-service failing, and is logged and
     * answered as such (CANCELLED).
     */
    @Override
    public Uni<Population> load(Operator caller) {
        io.grpc.Context call = io.grpc.Context.current();
        MutinyIdentityServiceGrpc.MutinyIdentityServiceStub asCaller = IdentityCredential.onBehalf(caller, identity);
        Deadline own = Deadline.after(timeout.toMillis(), TimeUnit.MILLISECONDS);
        Deadline callers = call.getDeadline();
        asCaller = asCaller.withDeadline(callers != null && callers.isBefore(own) ? callers : own);
        Listing listing = new Listing();
        return asCaller.streamPopulation(StreamPopulationRequest.newBuilder().setBatchSize(BATCH).build())
                .collect().in(() -> listing, Listing::add)
                .map(done -> {
                    LOG.infof("listed %d persons, %d organisations and %d active API keys from identity-service"
                                    + " in %d messages, %d ms (slowest gap %d ms)", done.persons.size(),
                            done.organisations.size(), done.apiKeys.size(), done.messages,
                            (System.nanoTime() - done.start) / 1_000_000, done.slowestGapMillis);
                    return population(done.persons, done.organisations, done.apiKeys);
                })
                .onFailure(StatusRuntimeException.class).transform(e -> {
                    if (call.isCancelled() || (callers != null && callers.isExpired())) {
                        return callerGaveUp(e, listing, callers);
                    }
                    return IdentityCredential.refused(e)
                            ? IdentityCredential.refusal(e, "list persons, organisations and API keys") : unavailable(e);
                });
    }

    private static Throwable callerGaveUp(Throwable e, Listing listing, Deadline callers) {
        boolean deadline = callers != null && callers.isExpired();
        LOG.infof("preview abandoned: the caller's %s after %d messages (%d persons; slowest gap %d ms);"
                        + " identity-service answered %s", deadline ? "deadline passed" : "call was cancelled",
                listing.messages, listing.persons.size(), listing.slowestGapMillis,
                ((StatusRuntimeException) e).getStatus().getCode());
        // Nobody receives the answer any more: CANCELLED, which the error mapper passes on without an alarm.
        return io.grpc.Status.CANCELLED.withDescription("the preview call ended before the population was listed")
                .asRuntimeException();
    }

    /**
     * Persons as the callers ResolveCaller would make of them; each organisation holding an active
     * organisation-wide key as the caller those keys are; every active key with what it is bound to.
     */
    public static Population population(List<Person> persons, List<Organisation> organisations, List<ApiKey> keys) {
        Map<String, ScreeningStatus> orgScreening = new HashMap<>(organisations.size() * 2);
        for (Organisation o : organisations) {
            orgScreening.put(o.getName(), o.getScreeningStatus());
        }
        Map<String, String> personOrganisation = new HashMap<>(persons.size() * 2);
        List<Caller> callers = new ArrayList<>(persons.size());
        for (Person p : persons) {
            CallerIdentity.Builder id = CallerIdentity.newBuilder()
                    .setPerson(p.getName())
                    .setOrganisation(p.getOrganisation())
                    .setUsPersonStatus(p.getUsPersonStatus())
                    .setControllingCountry(p.getControllingCountry())
                    .setAssuranceLevel(p.getAssuranceLevel())
                    .setVerifyTime(p.hasVerifyTime() ? p.getVerifyTime() : UNKNOWN_VERIFY_TIME)
                    .setScreeningStatus(worse(p.getScreeningStatus(),
                            orgScreening.getOrDefault(p.getOrganisation(), ScreeningStatus.SCREENING_STATUS_UNSPECIFIED)))
                    .setIdentityRevision(p.getIdentityRevision());
            for (Citizenship c : p.getCitizenshipsList()) {
                id.addCitizenships(c.getCountry());
            }
            callers.add(CallerMapping.toCaller(id.build()));
            personOrganisation.put(p.getName(), p.getOrganisation());
        }
        List<Population.ApiKey> apiKeys = new ArrayList<>(keys.size());
        Set<String> keyHolders = new LinkedHashSet<>();
        for (ApiKey k : keys) {
            if (k.getOwner().startsWith("persons/")) {
                String org = personOrganisation.get(k.getOwner());
                apiKeys.add(new Population.ApiKey(k.getName(), k.getPrefix(), k.getOwner(),
                        org == null || org.isEmpty() ? null : org));
            } else {
                apiKeys.add(new Population.ApiKey(k.getName(), k.getPrefix(), null, k.getOwner()));
                keyHolders.add(k.getOwner());
            }
        }
        List<Caller> orgKeys = new ArrayList<>(keyHolders.size());
        for (String org : keyHolders) {
            // Not bound to a verified person: no status, UNKNOWN for directive purposes (DESIGN.md).
            orgKeys.add(CallerMapping.toCaller(CallerIdentity.newBuilder()
                    .setOrganisation(org)
                    .setScreeningStatus(orgScreening.getOrDefault(org, ScreeningStatus.SCREENING_STATUS_UNSPECIFIED))
                    .build()));
        }
        return new Population(callers, organisations.size(), orgKeys, apiKeys);
    }

    /** As identity-service combines them for a caller: a confirmed match beats a potential one beats clear. */
    static ScreeningStatus worse(ScreeningStatus a, ScreeningStatus b) {
        return rank(a) >= rank(b) ? a : b;
    }

    private static int rank(ScreeningStatus s) {
        return switch (s) {
            case SCREENING_STATUS_CONFIRMED_MATCH -> 3;
            case SCREENING_STATUS_POTENTIAL_MATCH -> 2;
            case SCREENING_STATUS_CLEAR -> 1;
            default -> 0;
        };
    }

    private static Throwable unavailable(Throwable e) {
        LOG.warnf("identity-service could not list the preview population: %s",
                e instanceof StatusRuntimeException sre ? sre.getStatus() : e);
        return ApiError.unavailable(ErrorReason.ERROR_REASON_IDENTITY_UNAVAILABLE, DOMAIN,
                "identity-service could not be reached to list persons, organisations and API keys for the preview").toException();
    }
}
