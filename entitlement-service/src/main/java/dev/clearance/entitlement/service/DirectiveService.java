package dev.clearance.entitlement.service;

import dev.clearance.access.Operator;
import dev.clearance.api.ApiError;
import dev.clearance.entitlement.domain.Attribution;
import dev.clearance.entitlement.domain.CarveOutKind;
import dev.clearance.entitlement.domain.DirectiveAction;
import dev.clearance.entitlement.domain.DirectiveEntity;
import dev.clearance.entitlement.domain.DirectiveCarveOutEntity;
import dev.clearance.entitlement.domain.DirectiveScopeEntity;
import dev.clearance.entitlement.domain.DirectiveState;
import dev.clearance.entitlement.domain.DirectiveTransitionEntity;
import dev.clearance.entitlement.domain.Officer;
import dev.clearance.entitlement.domain.StoredDirective;
import dev.clearance.entitlement.mapping.DirectiveMapping;
import dev.clearance.entitlement.mapping.SnapshotMapping;
import dev.clearance.entitlement.reference.CountryGroupTable;
import dev.clearance.entitlement.mapping.TimeMapping;
import dev.clearance.entitlement.reference.CountryGroupTables;
import dev.clearance.entitlement.repository.CountryGroupTableRepository;
import dev.clearance.entitlement.domain.CountryGroupTableEntity;
import dev.clearance.entitlement.repository.DirectiveRepository;
import dev.clearance.entitlement.repository.DirectiveStepRepository;
import dev.clearance.entitlement.repository.DirectiveTransitionRepository;
import dev.clearance.entitlement.repository.LicenceRepository;
import dev.clearance.entitlement.repository.ModelFamilyRepository;
import dev.clearance.entitlement.repository.ModelVersionRepository;
import dev.clearance.entitlement.repository.ProgrammeRepository;
import dev.clearance.entitlement.v1.CreateDirectiveRequest;
import dev.clearance.entitlement.identity.OrganisationDirectory;
import dev.clearance.entitlement.v1.Directive;
import dev.clearance.entitlement.v1.DirectiveTransition;
import dev.clearance.entitlement.v1.ListDirectivesRequest;
import dev.clearance.entitlement.validation.DirectiveRequests;
import dev.clearance.entitlement.validation.PageRequest;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

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
    private final CountryGroupTables countryGroups;
    private final PolicyWrites writes;
    private final LicenceRepository licences;
    private final OrganisationDirectory organisations;
    private final Duration emergencyConfirmWindow;
    private final ChangeLog changes;
    private final CountryGroupTableRepository countryGroupTables;
    private final DirectiveStepRepository stepStatements;

    public DirectiveService(DirectiveRepository directives, DirectiveTransitionRepository transitions,
                            ModelFamilyRepository families, ModelVersionRepository versions,
                            ProgrammeRepository programmes, CountryGroupTables countryGroups, PolicyWrites writes,
                            ChangeLog changes, LicenceRepository licences, OrganisationDirectory organisations,
                            @ConfigProperty(name = "clearance.directives.emergency-confirm-window", defaultValue = "4h")
                            Duration emergencyConfirmWindow, CountryGroupTableRepository countryGroupTables,
                            DirectiveStepRepository stepStatements) {
        this.countryGroupTables = countryGroupTables;
        this.stepStatements = stepStatements;
        this.emergencyConfirmWindow = emergencyConfirmWindow;
        this.changes = changes;
        this.licences = licences;
        this.organisations = organisations;
        this.directives = directives;
        this.transitions = transitions;
        this.families = families;
        this.versions = versions;
        this.programmes = programmes;
        this.countryGroups = countryGroups;
        this.writes = writes;
    }

    /** A directive with the policy revision that carries the change. */
    public record Changed(Directive directive, long policyRevision) {
    }

    /** @param caller the operator's credential, forwarded to identity-service to check organisation carve-outs */
    public Uni<Directive> create(CreateDirectiveRequest r, Officer by, Operator caller) {
        DirectiveRequests.check(r, countryGroups.inForce());
        String id = r.getDirectiveId();
        String actor = by.actor();
        // A draft is in no snapshot: the revision changes nothing there, and says so on the NOTIFY so that
        // no replica re-reads the whole policy for it.
        AtomicReference<PolicyChange> snapshotChange = new AtomicReference<>();
        // Organisations live in identity-service: asked before the transaction, never inside it.
        return organisations.missingCarveOuts(r.getDirective(), caller).chain(missing -> writes.write(revision -> directives.findById(id).chain(existing -> {
            if (existing != null) {
                return Uni.createFrom().failure(alreadyExists("directives/" + id).toException());
            }
            Instant now = TimeMapping.now();
            StoredDirective stored = DirectiveMapping.fromCreate(id, r.getDirective(), now);
            stored.directive().countryGroupsIssueDate = countryGroups.inForce().issueDate().toString();
            ApiError errors = invalid();
            missing.forEach(m -> errors.violation(m.field(), m.organisation() + " does not exist in identity-service"));
            return checkReferences(stored, errors)
                    .call(() -> checkTablesDatedAhead(r.getDirective(), errors))
                    .chain(() -> {
                        errors.throwIfViolations();
                        return directives.create(stored);
                    })
                    .chain(() -> record(id, new Step(null, DirectiveState.DRAFT, DirectiveAction.CREATE), actor, "", now, revision))
                    .map(x -> DirectiveMapping.toProto(stored, now))
                    .call(created -> changes.record(new Attribution(actor, ""), revision, created.getName(),
                            ChangeLog.CREATE, null, created))
                    .invoke(() -> snapshotChange.set(snapshotChange(revision, id, stored, countryGroups.inForce())));
        }), snapshotChange::get));
    }

    public Uni<Directive> get(String name) {
        String id = DirectiveRequests.checkName(name);
        return Panache.withSession(() -> directives.findStored(id)).map(stored -> {
            if (stored == null) {
                throw notFound(name).toException();
            }
            return DirectiveMapping.toProto(stored, TimeMapping.now());
        });
    }

    public Uni<Page<Directive>> list(ListDirectivesRequest r) {
        ApiError errors = invalid();
        // A token of the filtered list is not one of the whole list.
        String query = r.getEmergencyOverdueOnly() ? "directives?emergency_overdue" : "directives";
        PageRequest page = PageRequest.parse(errors, r.getPageSize(), r.getPageToken(), query);
        errors.throwIfViolations();
        Instant now = TimeMapping.now();
        return Panache.withSession(() -> r.getEmergencyOverdueOnly()
                        ? directives.emergencyOverdue(now, page.after(), page.fetchSize())
                        : directives.page(page.after(), page.fetchSize()))
                .map(rows -> Page.of(rows, page, query, d -> d.directive().id).map(d -> DirectiveMapping.toProto(d, now)));
    }

    public Uni<Changed> shadow(String name, Officer by, String reason) {
        return step(name, reason, false, d -> {
            requireMove(name, d, DirectiveState.SHADOW);
            return move(d, DirectiveState.SHADOW, DirectiveAction.SHADOW);
        }, by);
    }

    /**
     * The first half of the two-person rule: records the request and leaves the state (and the
     * directive's effect) as it is. With {@code emergency} the directive is ENFORCED at once and must
     * be confirmed by a second officer within {@link #emergencyConfirmWindow}.
     */
    public Uni<Changed> enforce(String name, Officer by, String reason, boolean emergency) {
        return step(name, reason, emergency, d -> {
            requireMove(name, d, DirectiveState.ENFORCED);
            Instant now = TimeMapping.now();
            if (emergency) {
                d.clearPendingEnforcement();
                d.emergencyEnforcer = by.actor();
                d.emergencyEnforcerSubject = by.subject();
                d.emergencyEnforceTime = now;
                d.emergencyReason = reason;
                d.emergencyConfirmDeadline = now.plus(emergencyConfirmWindow);
                d.emergencyConfirmer = null;
                d.emergencyConfirmTime = null;
                return move(d, DirectiveState.ENFORCED, DirectiveAction.EMERGENCY_ENFORCE);
            }
            if (d.pendingEnforcement()) {
                throw failedPrecondition(name + " already awaits approval of the enforcement "
                        + d.pendingRequester + " asked for at " + d.pendingRequestTime)
                        .put("directive", name).put("requester", d.pendingRequester).toException();
            }
            d.pendingRequester = by.actor();
            d.pendingRequesterSubject = by.subject();
            d.pendingRequestTime = now;
            d.pendingReason = reason;
            return new Step(d.state, d.state, DirectiveAction.REQUEST_ENFORCEMENT);
        }, by);
    }

    /**
     * The second officer: approves a pending enforcement (ENFORCED) or confirms an emergency one.
     * The approver must be identified and be another person than the officer who asked: the token
     * subjects differ (a renamed account is still the same officer).
     */
    public Uni<Changed> approve(String name, Officer by, String reason) {
        return step(name, reason, false, d -> {
            String first;
            String firstSubject;
            if (d.pendingEnforcement()) {
                first = d.pendingRequester;
                firstSubject = d.pendingRequesterSubject;
            } else if (d.awaitingEmergencyConfirmation()) {
                first = d.emergencyEnforcer;
                firstSubject = d.emergencyEnforcerSubject;
            } else {
                throw failedPrecondition(name + " has no enforcement awaiting approval (state " + d.state + ")")
                        .put("directive", name).put("state", d.state.name()).toException();
            }
            if (!identified(by) || by.subject().equals(firstSubject) || by.actor().equals(first)) {
                throw failedPrecondition("the enforcement of " + name + " was asked for by " + first
                        + "; a second, identified compliance officer must approve it (approver: " + by.actor() + ")")
                        .put("directive", name).put("requester", first).put("approver", by.actor()).toException();
            }
            if (d.pendingEnforcement()) {
                requireMove(name, d, DirectiveState.ENFORCED);
                d.clearPendingEnforcement();
                // An approved enforcement supersedes any earlier emergency one.
                d.emergencyEnforcer = null;
                d.emergencyEnforcerSubject = null;
                d.emergencyEnforceTime = null;
                d.emergencyReason = null;
                d.emergencyConfirmDeadline = null;
                d.emergencyConfirmer = null;
                d.emergencyConfirmTime = null;
                return move(d, DirectiveState.ENFORCED, DirectiveAction.APPROVE_ENFORCEMENT);
            }
            d.emergencyConfirmer = by.actor();
            d.emergencyConfirmTime = TimeMapping.now();
            return new Step(d.state, d.state, DirectiveAction.CONFIRM_EMERGENCY);
        }, by);
    }

    public Uni<Changed> suspend(String name, Officer by, String reason) {
        return step(name, reason, true, d -> {
            requireMove(name, d, DirectiveState.SUSPENDED);
            return move(d, DirectiveState.SUSPENDED, DirectiveAction.SUSPEND);
        }, by);
    }

    public Uni<Changed> revoke(String name, Officer by, String reason) {
        return step(name, reason, true, d -> {
            requireMove(name, d, DirectiveState.REVOKED);
            return move(d, DirectiveState.REVOKED, DirectiveAction.REVOKE);
        }, by);
    }

    /** Every directive RPC requires a role, hence a token; this guards the rule itself. */
    private static boolean identified(Officer by) {
        return by.subject() != null && !by.subject().isBlank() && !Officer.UNKNOWN.equals(by.subject());
    }

    public Uni<List<DirectiveTransition>> transitions(String name) {
        String id = DirectiveRequests.checkName(name);
        return Panache.withSession(() -> directives.findById(id).chain(d -> {
            if (d == null) {
                return Uni.createFrom().failure(notFound(name).toException());
            }
            return transitions.history(id);
        })).map(rows -> rows.stream().map(DirectiveMapping::toProto).toList());
    }

    /** What one lifecycle step did, for the transition row. */
    private record Step(DirectiveState from, DirectiveState to, DirectiveAction action) {
        /**
         * The change log names a step that moves the state by its target state (SHADOW, ENFORCED,
         * SUSPENDED, REVOKED), and one that does not by what it did (REQUEST_ENFORCEMENT, CONFIRM_EMERGENCY).
         */
        String changeAction() {
            return from == to ? action.name() : to.name();
        }
    }

    private static Step move(DirectiveEntity d, DirectiveState target, DirectiveAction action) {
        DirectiveState from = d.state;
        d.state = target;
        // Any move ends a pending request: it asked to enforce the directive as it was.
        d.clearPendingEnforcement();
        return new Step(from, target, action);
    }

    private static void requireMove(String name, DirectiveEntity d, DirectiveState target) {
        if (!target.canMoveFrom(d.state)) {
            throw failedPrecondition(name + " is " + d.state + " and cannot move to " + target
                    + "; allowed from " + target.allowedFrom())
                    .put("directive", name)
                    .put("state", d.state.name())
                    .put("requested_state", target.name())
                    .toException();
        }
    }

    /**
     * One lifecycle step in one write transaction: the step's checks and changes, then the
     * transition row with who, when and why. A refused step changes nothing (the bump rolls back).
     * Pipelined ({@link PolicyWrites#pipelined}): the directive is read behind the bump, and the
     * update, transition, change-log row and NOTIFY go together.
     */
    private Uni<Changed> step(String name, String reason, boolean reasonRequired, Function<DirectiveEntity, Step> change,
                              Officer by) {
        String actor = by.actor();
        String id = DirectiveRequests.checkName(name);
        ApiError errors = invalid();
        if (reasonRequired && reason.isBlank()) {
            errors.violation("reason", "is required for this step");
        }
        if (reason.length() > 2000) {
            errors.violation("reason", "must be at most 2000 characters");
        }
        errors.throwIfViolations();
        return writes.pipelined(c -> stepStatements.find(c, id), (c, revision, current) -> {
            if (current == null) {
                throw notFound(name).toException();
            }
            Instant now = TimeMapping.now();
            Directive before = DirectiveMapping.toProto(current, now);
            DirectiveEntity d = current.directive();
            Step step = change.apply(d);
            d.updateTime = now;
            CountryGroupTable table = countryGroups.inForce();
            d.countryGroupsIssueDate = table.issueDate().toString();
            // A step changes no scope, subject or carve-out row: the directive as read, now changed, is
            // what is stored (no second read), and what the snapshot's directive becomes.
            Directive after = DirectiveMapping.toProto(current, now);
            Uni<Void> statements = stepStatements.store(c, d, transition(id, step, actor, reason, now, revision),
                    ChangeLog.entry(new Attribution(actor, reason), revision, name, step.changeAction(), before, after));
            // The subject only: the username is personal data (transitions and change log keep the actor).
            LOG.infof("%s: %s %s -> %s by subject %s at revision %d", name, step.action(), step.from(), step.to(),
                    by.subject(), revision);
            return new PolicyWrites.Planned<>(new Changed(after, revision), statements,
                    snapshotChange(revision, id, current, table));
        });
    }

    /**
     * What a create or a step changed in the snapshot (a draft: nothing but the revision), or null
     * when a full rebuild could expand directives with another table than the one in force: a newer
     * due table is held back (this step may release it), or this directive names a group the table
     * in force lacks (a rebuild would hold it back).
     */
    private PolicyChange snapshotChange(long revision, String id, StoredDirective stored, CountryGroupTable table) {
        if (countryGroups.heldBack() != null) {
            return null;
        }
        if (!stored.directive().state.inSnapshot()) {
            return new PolicyChange(revision, id, null);
        }
        for (String group : stored.countryGroups()) {
            if (!table.knows(group)) {
                return null;
            }
        }
        return new PolicyChange(revision, id, SnapshotMapping.snapshotDirective(stored, table));
    }

    /**
     * Every country group must also be in each loaded table that comes into force later: otherwise
     * that table could not expand this directive on its date and every snapshot from then on would
     * fail. Checked inside the write, which holds the revision lock a table load also takes.
     */
    private Uni<Void> checkTablesDatedAhead(Directive d, ApiError errors) {
        if (d.getSubjects().getCountryGroupsCount() == 0) {
            return Uni.createFrom().voidItem();
        }
        return countryGroupTables.datedAfter(countryGroups.inForce().issueDate()).invoke(ahead -> {
            for (int i = 0; i < d.getSubjects().getCountryGroupsCount(); i++) {
                String group = d.getSubjects().getCountryGroups(i);
                for (CountryGroupTableEntity e : ahead) {
                    if (!countryGroups.parsed(e).knows(group)) {
                        errors.violation("directive.subjects.country_groups[" + i + "]", group
                                + " is not in the country-group table of " + e.effectiveDate
                                + ", loaded to come into force on that date");
                    }
                }
            }
        }).replaceWithVoid();
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
            if (c.kind == CarveOutKind.PROGRAMME) {
                String field = "directive.carve_outs[" + c.position + "].programme";
                checks = checks.chain(() -> programmes.findById(c.target.substring("programmes/".length())))
                        .invoke(p -> {
                            if (p == null) {
                                errors.violation(field, c.target + " does not exist");
                            }
                        })
                        .replaceWithVoid();
            } else if (c.kind == CarveOutKind.LICENCE) {
                String field = "directive.carve_outs[" + c.position + "].licence";
                checks = checks.chain(() -> licences.findById(c.target.substring("licences/".length())))
                        .invoke(l -> {
                            if (l == null) {
                                errors.violation(field, c.target + " does not exist");
                            }
                        })
                        .replaceWithVoid();
            }
        }
        return checks;
    }

    private Uni<DirectiveTransitionEntity> record(String directiveId, Step step,
                                                  String actor, String reason, Instant at, long revision) {
        return transitions.persist(transition(directiveId, step, actor, reason, at, revision));
    }

    private static DirectiveTransitionEntity transition(String directiveId, Step step, String actor, String reason,
                                                        Instant at, long revision) {
        DirectiveTransitionEntity t = new DirectiveTransitionEntity();
        t.directiveId = directiveId;
        t.action = step.action();
        t.fromState = step.from();
        t.toState = step.to();
        t.actor = actor;
        t.transitionTime = at;
        t.reason = reason;
        t.policyRevision = revision;
        return t;
    }
}
