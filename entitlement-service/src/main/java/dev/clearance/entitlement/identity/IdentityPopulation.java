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
import dev.clearance.identity.v1.ListOrganisationsRequest;
import dev.clearance.identity.v1.ListPersonsRequest;
import dev.clearance.identity.v1.MutinyIdentityServiceGrpc;
import dev.clearance.identity.v1.Organisation;
import dev.clearance.identity.v1.Person;
import dev.clearance.policy.Caller;
import com.google.protobuf.Timestamp;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static dev.clearance.entitlement.EntitlementErrors.DOMAIN;

/**
 * The preview population from identity-service's list APIs, 1000 a page (identity-service's
 * maximum), each page under its own deadline {@code clearance.preview.identity-page-timeout}, and
 * with the calling officer's bearer token (identity-service checks the officer's role and records
 * who listed persons). A person's listing
 * carries the derived status, citizenships, controlling country, assurance and screening, but
 * not the deciding evidence's verification time: the preview treats it as current and of
 * unknown age, so a directive with a maximum evidence age counts every person as matching
 * (fail closed: the preview may over-count, never under-count).
 */
@ApplicationScoped
public class IdentityPopulation implements PopulationSource {

    private static final Logger LOG = Logger.getLogger(IdentityPopulation.class);
    private static final int PAGE = 1000;
    /** Unknown evidence age: older than any maximum a directive can set (not 0: that reads as unset). */
    private static final Timestamp UNKNOWN_VERIFY_TIME = Timestamp.newBuilder().setSeconds(1).build();

    private final MutinyIdentityServiceGrpc.MutinyIdentityServiceStub identity;
    private final Duration pageTimeout;

    /**
     * @param pageTimeout the deadline of one page of 1000 (not {@code clearance.identity.timeout}, which
     *                    bounds one ResolveCaller on the Check path: a page is a thousand persons read,
     *                    recomputed if stale and serialised by a service that may be busy)
     */
    public IdentityPopulation(@GrpcClient("identity") MutinyIdentityServiceGrpc.MutinyIdentityServiceStub identity,
                              @ConfigProperty(name = "clearance.preview.identity-page-timeout", defaultValue = "30s")
                              Duration pageTimeout) {
        this.identity = identity;
        this.pageTimeout = pageTimeout;
    }

    /** How the listing went, for the log: where a slow preview spends its time. */
    private static final class Listing {
        int pages;
        long slowestPageMillis;

        void page(long startNanos) {
            pages++;
            slowestPageMillis = Math.max(slowestPageMillis, (System.nanoTime() - startNanos) / 1_000_000);
        }
    }

    /**
     * The pages are requested in the context of the preview call, so they carry its deadline: when the
     * caller's deadline passes (or it cancels), the listing stops with DEADLINE_EXCEEDED or CANCELLED.
     * That is the caller's limit, not identity-service failing, and is logged and answered as such.
     */
    @Override
    public Uni<Population> load(Operator caller) {
        MutinyIdentityServiceGrpc.MutinyIdentityServiceStub asCaller = IdentityCredential.onBehalf(caller, identity);
        io.grpc.Context call = io.grpc.Context.current();
        Listing listing = new Listing();
        return organisations(asCaller, "", new ArrayList<>())
                .chain(orgs -> persons(asCaller, "", new ArrayList<>(), listing).map(persons -> {
                    LOG.infof("listed %d persons and %d organisations from identity-service in %d pages of %d"
                            + " (slowest %d ms)", persons.size(), orgs.size(), listing.pages, PAGE, listing.slowestPageMillis);
                    return population(persons, orgs);
                }))
                .onFailure(StatusRuntimeException.class).transform(e -> {
                    if (call.isCancelled()) {
                        return callerGaveUp(e, listing, call);
                    }
                    return IdentityCredential.refused(e)
                            ? IdentityCredential.refusal(e, "list persons and organisations") : unavailable(e);
                });
    }

    private static Throwable callerGaveUp(Throwable e, Listing listing, io.grpc.Context call) {
        boolean deadline = call.getDeadline() != null && call.getDeadline().isExpired();
        LOG.infof("preview abandoned: the caller's %s after %d pages of persons (slowest %d ms); identity-service"
                        + " answered %s", deadline ? "deadline passed" : "call was cancelled", listing.pages,
                listing.slowestPageMillis, ((StatusRuntimeException) e).getStatus().getCode());
        // Nobody receives the answer any more: CANCELLED, which the error mapper passes on without an alarm.
        return io.grpc.Status.CANCELLED.withDescription("the preview call ended before the population was listed")
                .asRuntimeException();
    }

    private Uni<List<Organisation>> organisations(MutinyIdentityServiceGrpc.MutinyIdentityServiceStub identity,
                                                  String token, List<Organisation> into) {
        return identity.withDeadlineAfter(pageTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .listOrganisations(ListOrganisationsRequest.newBuilder().setPageSize(PAGE).setPageToken(token).build())
                .chain(page -> {
                    into.addAll(page.getOrganisationsList());
                    return page.getNextPageToken().isEmpty() ? Uni.createFrom().item(into)
                            : organisations(identity, page.getNextPageToken(), into);
                });
    }

    private Uni<List<Person>> persons(MutinyIdentityServiceGrpc.MutinyIdentityServiceStub identity,
                                      String token, List<Person> into, Listing listing) {
        return Uni.createFrom().deferred(() -> {
            long start = System.nanoTime();
            return identity.withDeadlineAfter(pageTimeout.toMillis(), TimeUnit.MILLISECONDS)
                    .listPersons(ListPersonsRequest.newBuilder().setPageSize(PAGE).setPageToken(token).build())
                    .chain(page -> {
                        listing.page(start);
                        into.addAll(page.getPersonsList());
                        return page.getNextPageToken().isEmpty() ? Uni.createFrom().item(into)
                                : persons(identity, page.getNextPageToken(), into, listing);
                    });
        });
    }

    /** Persons as the callers ResolveCaller would make of them, and each organisation's organisation-wide keys. */
    public static Population population(List<Person> persons, List<Organisation> organisations) {
        Map<String, ScreeningStatus> orgScreening = new HashMap<>(organisations.size() * 2);
        List<Caller> orgKeys = new ArrayList<>(organisations.size());
        for (Organisation o : organisations) {
            orgScreening.put(o.getName(), o.getScreeningStatus());
            orgKeys.add(CallerMapping.toCaller(CallerIdentity.newBuilder()
                    .setOrganisation(o.getName())
                    .setScreeningStatus(o.getScreeningStatus())
                    .build()));
        }
        List<Caller> callers = new ArrayList<>(persons.size());
        for (Person p : persons) {
            CallerIdentity.Builder id = CallerIdentity.newBuilder()
                    .setPerson(p.getName())
                    .setOrganisation(p.getOrganisation())
                    .setUsPersonStatus(p.getUsPersonStatus())
                    .setControllingCountry(p.getControllingCountry())
                    .setAssuranceLevel(p.getAssuranceLevel())
                    .setVerifyTime(UNKNOWN_VERIFY_TIME)
                    .setScreeningStatus(worse(p.getScreeningStatus(),
                            orgScreening.getOrDefault(p.getOrganisation(), ScreeningStatus.SCREENING_STATUS_UNSPECIFIED)))
                    .setIdentityRevision(p.getIdentityRevision());
            for (Citizenship c : p.getCitizenshipsList()) {
                id.addCitizenships(c.getCountry());
            }
            callers.add(CallerMapping.toCaller(id.build()));
        }
        return new Population(callers, orgKeys);
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
                "identity-service could not be reached to list persons and organisations for the preview").toException();
    }
}
