package dev.clearance.entitlement.service;

import dev.clearance.api.ApiError;
import dev.clearance.entitlement.domain.CarveOutKind;
import dev.clearance.entitlement.domain.DirectiveCarveOutEntity;
import dev.clearance.entitlement.domain.DirectiveScopeEntity;
import dev.clearance.entitlement.domain.Attribution;
import dev.clearance.entitlement.domain.DirectiveState;
import dev.clearance.entitlement.domain.DirectiveTransitionEntity;
import dev.clearance.entitlement.domain.StoredDirective;
import dev.clearance.entitlement.mapping.DirectiveMapping;
import dev.clearance.entitlement.mapping.TimeMapping;
import dev.clearance.entitlement.reference.CountryGroupTable;
import dev.clearance.entitlement.repository.DirectiveRepository;
import dev.clearance.entitlement.repository.DirectiveTransitionRepository;
import dev.clearance.entitlement.repository.ModelFamilyRepository;
import dev.clearance.entitlement.repository.ModelVersionRepository;
import dev.clearance.entitlement.repository.ProgrammeRepository;
import dev.clearance.entitlement.v1.CreateDirectiveRequest;
import dev.clearance.entitlement.v1.Directive;
import dev.clearance.entitlement.v1.ListDirectivesRequest;
import dev.clearance.entitlement.validation.DirectiveRequests;
import dev.clearance.entitlement.validation.PageRequest;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Instant;

import static dev.clearance.entitlement.EntitlementErrors.alreadyExists;
import static dev.clearance.entitlement.EntitlementErrors.failedPrecondition;
import static dev.clearance.entitlement.EntitlementErrors.invalid;
import static dev.clearance.entitlement.EntitlementErrors.notFound;

/** Directives and their lifecycle; every change is recorded as a transition with actor and reason. */
@ApplicationScoped
public class DirectiveService {

    private static final Logger LOG = Logger.getLogger(DirectiveService.class);

    private final DirectiveRepository directives;
    private final DirectiveTransitionRepository transitions;
    private final ModelFamilyRepository families;
    private final ModelVersionRepository versions;
    private final ProgrammeRepository programmes;
    private final CountryGroupTable countryGroups;
    private final PolicyWrites writes;
    private final ChangeLog changes;

    public DirectiveService(DirectiveRepository directives, DirectiveTransitionRepository transitions,
                            ModelFamilyRepository families, ModelVersionRepository versions,
                            ProgrammeRepository programmes, CountryGroupTable countryGroups, PolicyWrites writes,
                            ChangeLog changes) {
        this.directives = directives;
        this.transitions = transitions;
        this.families = families;
        this.versions = versions;
        this.programmes = programmes;
        this.countryGroups = countryGroups;
        this.writes = writes;
        this.changes = changes;
    }

    /** A directive with the policy revision that carries the change. */
    public record Changed(Directive directive, long policyRevision) {
    }

    public Uni<Directive> create(CreateDirectiveRequest r, String actor) {
        DirectiveRequests.check(r, countryGroups);
        String id = r.getDirectiveId();
        return writes.write(revision -> directives.findById(id).chain(existing -> {
            if (existing != null) {
                return Uni.createFrom().failure(alreadyExists("directives/" + id).toException());
            }
            Instant now = TimeMapping.now();
            StoredDirective stored = DirectiveMapping.fromCreate(id, r.getDirective(), now);
            ApiError errors = invalid();
            return checkReferences(stored, errors)
                    .chain(() -> {
                        errors.throwIfViolations();
                        return directives.create(stored);
                    })
                    .chain(() -> record(id, null, DirectiveState.DRAFT, actor, "", now, revision))
                    .map(x -> DirectiveMapping.toProto(stored))
                    .call(created -> changes.record(new Attribution(actor, ""), revision, created.getName(),
                            ChangeLog.CREATE, null, created));
        }));
    }

    public Uni<Directive> get(String name) {
        String id = DirectiveRequests.checkName(name);
        return Panache.withSession(() -> directives.findStored(id)).map(stored -> {
            if (stored == null) {
                throw notFound(name).toException();
            }
            return DirectiveMapping.toProto(stored);
        });
    }

    public Uni<Page<Directive>> list(ListDirectivesRequest r) {
        ApiError errors = invalid();
        PageRequest page = PageRequest.parse(errors, r.getPageSize(), r.getPageToken(), "directives");
        errors.throwIfViolations();
        return Panache.withSession(() -> directives.page(page.after(), page.fetchSize()))
                .map(rows -> Page.of(rows, page, "directives", d -> d.directive().id).map(DirectiveMapping::toProto));
    }

    /**
     * Moves a directive to {@code target} if its lifecycle allows it from the current state,
     * recording who, when and why in the same transaction.
     */
    public Uni<Changed> transition(String name, DirectiveState target, String actor, String reason) {
        String id = DirectiveRequests.checkName(name);
        ApiError errors = invalid();
        if (reason.length() > 2000) {
            errors.violation("reason", "must be at most 2000 characters");
        }
        errors.throwIfViolations();
        return writes.write(revision -> directives.findStored(id).chain(current -> {
            if (current == null) {
                return Uni.createFrom().failure(notFound(name).toException());
            }
            Directive before = DirectiveMapping.toProto(current);
            var d = current.directive();
            DirectiveState from = d.state;
            if (!target.canMoveFrom(from)) {
                return Uni.createFrom().failure(failedPrecondition(
                                name + " is " + from + " and cannot move to " + target
                                        + "; allowed from " + target.allowedFrom())
                        .put("directive", name)
                        .put("state", from.name())
                        .put("requested_state", target.name())
                        .toException());
            }
            Instant now = TimeMapping.now();
            d.state = target;
            d.updateTime = now;
            return record(id, from, target, actor, reason, now, revision)
                    .chain(() -> directives.findStored(id))
                    .map(stored -> {
                        LOG.infof("%s: %s -> %s by %s at revision %d (reason: %s)", name, from, target, actor, revision, reason);
                        return new Changed(DirectiveMapping.toProto(stored), revision);
                    })
                    // The change log names a lifecycle step by its target state (SHADOW, ENFORCED, ...).
                    .call(changed -> changes.record(new Attribution(actor, reason), revision, name, target.name(),
                            before, changed.directive()));
        }));
    }

    /** Families and from-versions of the scope, and programme carve-outs, must exist. */
    private Uni<Void> checkReferences(StoredDirective d, ApiError errors) {
        Uni<Void> checks = Uni.createFrom().voidItem();
        for (DirectiveScopeEntity s : d.scope()) {
            String field = "directive.scope[" + s.position + "]";
            checks = checks.chain(() -> families.findById(s.familyId)).chain(family -> {
                if (family == null) {
                    errors.violation(field + ".family", "families/" + s.familyId + " does not exist");
                    return Uni.createFrom().voidItem();
                }
                if (s.fromVersion == null) {
                    return Uni.createFrom().voidItem();
                }
                return versions.findById(s.fromVersion).invoke(v -> {
                    if (v == null || !v.familyId.equals(s.familyId)) {
                        errors.violation(field + ".from_version",
                                s.fromVersion + " is not a version of families/" + s.familyId);
                    }
                }).replaceWithVoid();
            });
        }
        for (DirectiveCarveOutEntity c : d.carveOuts()) {
            if (c.kind != CarveOutKind.PROGRAMME) {
                continue;
            }
            String field = "directive.carve_outs[" + c.position + "].programme";
            checks = checks.chain(() -> programmes.findById(c.target.substring("programmes/".length())))
                    .invoke(p -> {
                        if (p == null) {
                            errors.violation(field, c.target + " does not exist");
                        }
                    })
                    .replaceWithVoid();
        }
        return checks;
    }

    private Uni<DirectiveTransitionEntity> record(String directiveId, DirectiveState from, DirectiveState to,
                                                  String actor, String reason, Instant at, long revision) {
        DirectiveTransitionEntity t = new DirectiveTransitionEntity();
        t.directiveId = directiveId;
        t.fromState = from;
        t.toState = to;
        t.actor = actor;
        t.transitionTime = at;
        t.reason = reason;
        t.policyRevision = revision;
        return transitions.persist(t);
    }
}
