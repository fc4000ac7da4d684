package dev.clearance.entitlement.service;

import com.google.protobuf.Timestamp;
import dev.clearance.access.Operator;
import dev.clearance.api.ApiError;
import dev.clearance.api.mapping.PolicyMapping;
import dev.clearance.entitlement.domain.DirectiveState;
import dev.clearance.entitlement.domain.StoredDirective;
import dev.clearance.entitlement.mapping.DirectiveMapping;
import dev.clearance.entitlement.mapping.TimeMapping;
import dev.clearance.entitlement.history.DecisionHistoryService;
import dev.clearance.entitlement.preview.DecisionHistoryImpact;
import dev.clearance.entitlement.preview.Impact;
import dev.clearance.entitlement.preview.ImpactPreview;
import dev.clearance.entitlement.preview.Population;
import dev.clearance.entitlement.preview.PopulationSource;
import dev.clearance.entitlement.reference.CountryGroupTables;
import dev.clearance.entitlement.repository.DirectiveRepository;
import dev.clearance.entitlement.v1.CreateDirectiveRequest;
import dev.clearance.entitlement.v1.Directive;
import dev.clearance.entitlement.v1.ImpactedCaller;
import dev.clearance.entitlement.v1.ImpactedCallerKind;
import dev.clearance.entitlement.v1.ModelImpact;
import dev.clearance.entitlement.v1.PreviewDirectiveImpactRequest;
import dev.clearance.entitlement.v1.PreviewDirectiveImpactResponse;
import dev.clearance.entitlement.validation.DirectiveRequests;
import dev.clearance.entitlement.validation.PageRequest;
import dev.clearance.policy.PolicySnapshot;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import static dev.clearance.entitlement.EntitlementErrors.failedPrecondition;
import static dev.clearance.entitlement.EntitlementErrors.invalid;
import static dev.clearance.entitlement.EntitlementErrors.notFound;

/**
 * PreviewDirectiveImpact: the directive (stored, or an unsaved body) is put into the current
 * snapshot as ENFORCED, compiled by the same code routers use, and every person and organisation
 * identity-service lists is decided on both snapshots ({@link ImpactPreview}). Read-only.
 */
@ApplicationScoped
public class ImpactPreviewService {

    private static final Logger LOG = Logger.getLogger(ImpactPreviewService.class);
    static final String NO_HISTORY_NOTE = "no decision history yet: no router has reported decision counts within the "
            + "retention, so the last 24 hours' denied and downgraded requests are unknown (not 0)";
    static final String API_KEY_NOTE = "every active API key identity-service holds was evaluated: a key bound to a "
            + "person as that person, an organisation-wide key as its organisation with US-person status UNKNOWN";
    /** The id an unsaved body is previewed under. */
    private static final String UNSAVED_ID = "unsaved-preview";

    private final DirectiveRepository directives;
    private final CheckService checks;
    private final PopulationSource population;
    private final CountryGroupTables countryGroups;
    private final DecisionHistoryService history;

    public ImpactPreviewService(DirectiveRepository directives, CheckService checks, PopulationSource population,
                                CountryGroupTables countryGroups, DecisionHistoryService history) {
        this.history = history;
        this.directives = directives;
        this.checks = checks;
        this.population = population;
        this.countryGroups = countryGroups;
    }

    /** @param caller the officer asking; identity-service is asked with their credential */
    public Uni<PreviewDirectiveImpactResponse> preview(PreviewDirectiveImpactRequest r, Operator caller) {
        ApiError errors = invalid();
        String query = "impact/" + switch (r.getTargetCase()) {
            case NAME -> r.getName();
            case DIRECTIVE -> Integer.toHexString(Arrays.hashCode(r.getDirective().toByteArray()));
            default -> "";
        };
        PageRequest page = PageRequest.parse(errors, r.getPageSize(), r.getPageToken(), query);
        if (r.getTargetCase() == PreviewDirectiveImpactRequest.TargetCase.TARGET_NOT_SET) {
            errors.violation("target", "name a stored directive or send a directive body");
        }
        errors.throwIfViolations();
        Instant now = TimeMapping.now();
        return target(r, now)
                .chain(stored -> checks.currentPolicy().chain(policy -> timed(population.load(caller))
                        .chain(listed -> history.lastDay(now).map(lastDay -> new Inputs(listed, lastDay)))
                        // Deciding 100,000 persons takes a while: never on the event loop.
                        .emitOn(Infrastructure.getDefaultWorkerPool())
                        .map(inputs -> {
                    Listed listed = inputs.listed();
                    Population people = listed.population();
                    Directive asEnforced = DirectiveMapping.toSnapshotProto(stored, countryGroups.inForce()).toBuilder()
                            .setState(dev.clearance.entitlement.v1.DirectiveState.DIRECTIVE_STATE_ENFORCED).build();
                    var with = policy.proto().toBuilder().clearDirectives();
                    for (Directive d : policy.proto().getDirectivesList()) {
                        if (!d.getName().equals(asEnforced.getName())) {
                            with.addDirectives(d);
                        }
                    }
                    with.addDirectives(asEnforced);
                    PolicySnapshot withDirective = PolicySnapshot.compile(PolicyMapping.toInputs(with.build()));
                    dev.clearance.policy.Directive engineDirective = withDirective.inputs().directives().stream()
                            .filter(d -> d.id().equals(asEnforced.getName())).findFirst().orElseThrow();
                    long start = System.nanoTime();
                    Impact impact = ImpactPreview.compute(policy.compiled(), withDirective, engineDirective, people, now);
                    DecisionHistoryService.LastDay lastDay = inputs.lastDay();
                    DecisionHistoryImpact.Result replay = DecisionHistoryImpact.compute(policy.compiled(), withDirective,
                            people, lastDay.requests().stream().map(h -> new DecisionHistoryImpact.Requests(h.caller(),
                                    h.model(), h.fallbackAllowed(), h.requests())).toList(), now);
                    LOG.infof("impact preview of %s at revision %d: %d persons, %d organisations, %d hits;"
                                    + " identity listing %d ms, evaluation %d ms",
                            asEnforced.getName(), policy.revision(), impact.personsEvaluated(),
                            impact.organisationsEvaluated(), impact.hits().size(), listed.millis(),
                            (System.nanoTime() - start) / 1_000_000);
                    PreviewDirectiveImpactResponse.Builder answer = response(impact, policy.revision(), now, page, query)
                            .toBuilder().setCountryGroupsIssueDate(policy.proto().getCountryGroupsIssueDate());
                    return withHistory(answer, lastDay, replay).build();
                })));
    }

    private record Listed(Population population, long millis) {
    }

    private record Inputs(Listed listed, DecisionHistoryService.LastDay lastDay) {
    }

    /** The history figures and a note that says what they cover and what they leave out. */
    static PreviewDirectiveImpactResponse.Builder withHistory(PreviewDirectiveImpactResponse.Builder b,
                                                              DecisionHistoryService.LastDay lastDay,
                                                              DecisionHistoryImpact.Result replay) {
        if (!lastDay.available()) {
            return b.setRequestHistoryAvailable(false).setRequestHistoryNote(NO_HISTORY_NOTE);
        }
        StringBuilder note = new StringBuilder("Generate/StreamGenerate requests in hourly buckets from ")
                .append(lastDay.from()).append(", as the routers reported them, replayed on the current policy with "
                        + "and without the directive (same caller, model and fallback flag): ")
                .append(replay.replayed()).append(" replayed");
        if (lastDay.coverage().since().isAfter(lastDay.from())) {
            note.append("; history exists only since ").append(lastDay.coverage().since());
        }
        if (replay.notReplayed() > 0) {
            note.append("; ").append(replay.notReplayed()).append(" not replayed and not counted (caller no longer "
                    + "listed by identity-service, or model no longer in the catalogue)");
        }
        if (lastDay.coverage().droppedSince() > 0) {
            note.append("; ").append(lastDay.coverage().droppedSince()).append(" requests were not counted by the "
                    + "routers (their key bound was reached)");
        }
        return b.setRequestHistoryAvailable(true)
                .setRequestsDeniedLast24H(replay.denied())
                .setRequestsDowngradedLast24H(replay.downgraded())
                .setRequestHistoryNote(note.toString());
    }

    private static Uni<Listed> timed(Uni<Population> load) {
        return Uni.createFrom().deferred(() -> {
            long start = System.nanoTime();
            return load.map(p -> new Listed(p, (System.nanoTime() - start) / 1_000_000));
        });
    }

    /** The directive to preview: stored (not revoked) or a validated unsaved body. */
    private Uni<StoredDirective> target(PreviewDirectiveImpactRequest r, Instant now) {
        if (r.getTargetCase() == PreviewDirectiveImpactRequest.TargetCase.DIRECTIVE) {
            // The same checks as CreateDirective's shape validation; references only bind in the snapshot.
            DirectiveRequests.check(CreateDirectiveRequest.newBuilder().setDirectiveId(UNSAVED_ID)
                    .setDirective(r.getDirective()).build(), countryGroups.inForce());
            return Uni.createFrom().item(DirectiveMapping.fromCreate(UNSAVED_ID, r.getDirective(), now));
        }
        String id = DirectiveRequests.checkName(r.getName());
        return Panache.withSession(() -> directives.findStored(id)).map(stored -> {
            if (stored == null) {
                throw notFound(r.getName()).toException();
            }
            if (stored.directive().state == DirectiveState.REVOKED) {
                throw failedPrecondition(r.getName() + " is REVOKED; nothing to preview")
                        .put("directive", r.getName()).put("state", "REVOKED").toException();
            }
            return stored;
        });
    }

    private static int offset(String after) {
        try {
            return Math.max(0, Integer.parseInt(after));
        } catch (NumberFormatException e) {
            throw invalid().violation("page_token", "is not a page token of this preview").toException();
        }
    }

    private static PreviewDirectiveImpactResponse response(Impact impact, long revision, Instant now, PageRequest page,
                                                           String query) {
        PreviewDirectiveImpactResponse.Builder b = PreviewDirectiveImpactResponse.newBuilder()
                .setPolicyRevision(revision)
                .setPreviewTime(TimeMapping.toTimestamp(now))
                .setPersonsEvaluated(impact.personsEvaluated())
                .setOrganisationsEvaluated(impact.organisationsEvaluated())
                .setApiKeysEvaluated(impact.apiKeysEvaluated())
                .setApiKeyNote(API_KEY_NOTE);
        for (Impact.ModelCount m : impact.models()) {
            b.addModels(ModelImpact.newBuilder().setModel(m.model()).setPersons(m.persons())
                    .setOrganisations(m.organisations()).setOrganisationApiKeys(m.organisationApiKeys())
                    .setDowngraded(m.downgraded()).setDenied(m.denied())
                    .setApiKeys(m.apiKeys()).setOrganisationWideApiKeys(m.organisationWideApiKeys()));
        }
        int from = page.after() == null ? 0 : offset(page.after());
        List<Impact.Hit> hits = impact.hits();
        int to = Math.min(hits.size(), from + page.size());
        for (int i = from; i < to; i++) {
            Impact.Hit h = hits.get(i);
            ImpactedCaller.Builder c = ImpactedCaller.newBuilder().setModel(h.model()).setCaller(h.caller())
                    .setKind(switch (h.kind()) {
                        case PERSON -> ImpactedCallerKind.IMPACTED_CALLER_KIND_PERSON;
                        case ORGANISATION_API_KEYS -> ImpactedCallerKind.IMPACTED_CALLER_KIND_ORGANISATION_API_KEYS;
                        case API_KEY -> ImpactedCallerKind.IMPACTED_CALLER_KIND_API_KEY;
                    });
            if (h.apiKeyPrefix() != null) {
                c.setApiKeyPrefix(h.apiKeyPrefix()).setApiKeyOwner(h.apiKeyOwner());
            }
            if (h.organisation() != null) {
                c.setOrganisation(h.organisation());
            }
            if (h.fallbackModel() != null) {
                c.setFallbackModel(h.fallbackModel());
            }
            b.addCallers(c);
        }
        if (to < hits.size()) {
            b.setNextPageToken(PageRequest.token(query, Integer.toString(to)));
        }
        return b.build();
    }
}
