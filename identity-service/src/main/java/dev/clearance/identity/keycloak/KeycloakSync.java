package dev.clearance.identity.keycloak;

import dev.clearance.identity.changes.IdentityChanges;
import dev.clearance.identity.domain.KeycloakSyncRun;
import dev.clearance.identity.domain.Organisation;
import dev.clearance.identity.domain.Person;
import dev.clearance.identity.mapping.IdentityMapping;
import dev.clearance.identity.repository.KeycloakSyncRunRepository;
import dev.clearance.identity.repository.OrganisationRepository;
import dev.clearance.identity.repository.PersonRepository;
import dev.clearance.identity.screening.ScreeningService;
import dev.clearance.identity.service.BackgroundContext;
import dev.clearance.identity.service.ChangeLog;
import dev.clearance.identity.service.DatabaseClock;
import dev.clearance.identity.validation.CountryCodes;
import dev.clearance.identity.validation.ResourceIds;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Imports Keycloak users and Organizations as persons and organisations, and keeps them in step.
 *
 * <p>A person is linked to a user by subject (the user id). A user without a linked person is
 * linked to the unlinked person whose id is the user's username, else gets a new person (id =
 * username when that is a valid, free id, otherwise {@code kc-<user id>}). An Organization is
 * linked to the unlinked organisation whose id is its alias, else created; Clearance needs a
 * country of incorporation, so an Organization without a valid {@code country} attribute is not
 * imported and the run says so. Display names follow Keycloak; a user who is a member of exactly
 * one imported Organization belongs to that organisation (several: left as is and reported).
 * Nothing is ever deleted here: a person's evidence history outlives their Keycloak account.
 *
 * <p>Keycloak is read first, outside any transaction; the changes and the run's record are then
 * written in one transaction and published on the change stream after it committed. Runs never
 * overlap: a run asked for while one is going starts when it ends. A second run with nothing
 * changed in Keycloak changes nothing. Each person or organisation the run creates, links or
 * changes gets one change-log row in the run's transaction: actor {@link ChangeLog#KEYCLOAK_SYNC},
 * before/after as the API shows them, the run's notes on it as the reason.
 */
@ApplicationScoped
public class KeycloakSync {

    private static final Logger LOG = Logger.getLogger(KeycloakSync.class);
    private static final int MAX_DISPLAY_NAME = 200;

    private final KeycloakAdmin admin;
    private final PersonRepository persons;
    private final OrganisationRepository organisations;
    private final KeycloakSyncRunRepository runs;
    private final ScreeningService screening;
    private final IdentityChanges changes;
    private final KeycloakSyncState state;
    private final KeycloakSessions sessions;
    private final DatabaseClock clock;
    private final Vertx vertx;
    private CompletableFuture<Void> tail = CompletableFuture.completedFuture(null);

    @Inject
    ChangeLog changeLog;

    @Inject
    public KeycloakSync(KeycloakAdmin admin, PersonRepository persons, OrganisationRepository organisations,
                        KeycloakSyncRunRepository runs, ScreeningService screening, IdentityChanges changes,
                        KeycloakSyncState state, KeycloakSessions sessions, DatabaseClock clock, Vertx vertx) {
        this.sessions = sessions;
        this.admin = admin;
        this.persons = persons;
        this.organisations = organisations;
        this.runs = runs;
        this.screening = screening;
        this.changes = changes;
        this.state = state;
        this.clock = clock;
        this.vertx = vertx;
    }

    public boolean configured() {
        return admin.configured();
    }

    /**
     * Runs a sync after any run in progress. Fails with {@link KeycloakUnavailableException}
     * when Keycloak cannot be read (the failed run is recorded, nothing else is written).
     */
    public Uni<SyncReport> run(KeycloakSyncRun.Trigger trigger) {
        CompletableFuture<SyncReport> result = new CompletableFuture<>();
        CompletableFuture<Void> before;
        synchronized (this) {
            before = tail;
            tail = result.handle((r, e) -> null);
        }
        before.whenComplete((ignored, e) -> BackgroundContext.run(vertx, () -> runNow(trigger))
                .subscribe().with(result::complete, result::completeExceptionally));
        return Uni.createFrom().completionStage(result);
    }

    private Uni<SyncReport> runNow(KeycloakSyncRun.Trigger trigger) {
        Instant start = clock.now();
        return admin.directory()
                .onFailure().call(failure -> recordFailure(trigger, start, failure))
                .flatMap(directory -> Panache.withTransaction(() -> apply(directory, start)
                        .call(report -> runs.persist(new KeycloakSyncRun(trigger, start, report.endTime(), true, null,
                                report.usersSeen(), report.organisationsSeen(), lines(report))))))
                .invoke(report -> {
                    report.changedOrganisations().forEach(id -> changes.organisation(id, report.endTime()));
                    report.changedPersons().forEach(id -> changes.person(id, 0, report.endTime()));
                    state.succeeded(report.endTime());
                    sessions.retryPending();
                    if (!report.changes().isEmpty() || !report.problems().isEmpty()) {
                        LOG.infof("Keycloak sync (%s): %d changes, %d problems", trigger, report.changes().size(),
                                report.problems().size());
                    }
                })
                .onFailure().invoke(failure -> state.failed(clock.now(), describe(failure)));
    }

    private Uni<Void> recordFailure(KeycloakSyncRun.Trigger trigger, Instant start, Throwable failure) {
        return Panache.withTransaction(() -> runs.persist(new KeycloakSyncRun(trigger, start, clock.now(), false,
                        describe(failure), 0, 0, "")))
                .replaceWithVoid()
                // The database may be what is down; the original failure is what the caller sees.
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    static String describe(Throwable failure) {
        return failure instanceof KeycloakUnavailableException ? failure.getMessage()
                : failure.getClass().getSimpleName() + ": " + failure.getMessage();
    }

    private static String lines(SyncReport report) {
        StringBuilder b = new StringBuilder();
        report.changes().forEach(c -> b.append(c).append('\n'));
        report.problems().forEach(p -> b.append("PROBLEM ").append(p).append('\n'));
        return b.toString();
    }

    /** Writes the directory into the current transaction. */
    private Uni<SyncReport> apply(KeycloakDirectory directory, Instant start) {
        Run run = new Run(directory);
        return organisations.listAll().flatMap(allOrgs -> {
            allOrgs.forEach(run::knowOrganisation);
            Uni<Void> chain = Uni.createFrom().voidItem();
            List<KeycloakDirectory.Organization> orgs = new ArrayList<>(directory.organizations());
            orgs.sort(Comparator.comparing(KeycloakDirectory.Organization::id));
            for (KeycloakDirectory.Organization org : orgs) {
                chain = chain.flatMap(ignored -> syncOrganisation(run, org));
            }
            return chain;
        }).flatMap(ignored -> persons.listAll()).flatMap(allPersons -> {
            allPersons.forEach(run::knowPerson);
            Uni<Void> chain = Uni.createFrom().voidItem();
            List<KeycloakDirectory.User> users = new ArrayList<>(directory.users());
            users.sort(Comparator.comparing(KeycloakDirectory.User::id));
            for (KeycloakDirectory.User user : users) {
                chain = chain.flatMap(ignored -> syncUser(run, user));
            }
            return chain;
        }).flatMap(ignored -> logChanges(run)).map(ignored -> new SyncReport(start, clock.now(), directory.users().size(),
                directory.organizations().size(), List.copyOf(run.changes), List.copyOf(run.problems),
                Set.copyOf(run.changedPersons), Set.copyOf(run.changedOrganisations)));
    }

    /** One change row per resource the run touched, with all its notes, in the run's transaction. */
    private Uni<Void> logChanges(Run run) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (Map.Entry<String, Object> e : run.touched.entrySet()) {
            String resource = e.getKey();
            com.google.protobuf.Message before = run.before.get(resource);
            com.google.protobuf.Message after = e.getValue() instanceof Person p
                    ? IdentityMapping.toProto(p) : IdentityMapping.toProto((Organisation) e.getValue());
            String reason = "Keycloak sync: " + String.join("; ", run.changes.stream()
                    .filter(c -> c.resource().equals(resource))
                    .map(c -> c.action() == SyncReport.Action.CREATED ? "created " + c.detail() : c.detail())
                    .toList());
            chain = chain.call(() -> changeLog.record(ChangeLog.KEYCLOAK_SYNC, resource,
                    before == null ? ChangeLog.CREATE : ChangeLog.UPDATE, before, after, reason));
        }
        return chain;
    }

    private Uni<Void> syncOrganisation(Run run, KeycloakDirectory.Organization org) {
        Instant now = clock.now();
        String name = displayName(org.name(), org.alias());
        Organisation linked = run.orgByKeycloakId.get(org.id());
        if (linked != null) {
            run.organisationIdByKeycloakId.put(org.id(), linked.id());
            if (linked.displayName().equals(name)) {
                return Uni.createFrom().voidItem();
            }
            String before = linked.displayName();
            run.touch(linked);
            linked.update(name, linked.country());
            return screening.screenOrganisation(linked).invoke(screened -> {
                run.change(ResourceIds.ORGANISATIONS, linked.id(), SyncReport.Action.UPDATED,
                        "display name \"" + before + "\" -> \"" + name + "\"");
                run.changedOrganisations.add(linked.id());
            }).replaceWithVoid();
        }
        String id = idFrom(org.alias());
        if (id == null) {
            run.problems.add("Keycloak Organization " + org.id() + " (alias \"" + org.alias()
                    + "\"): the alias is not a valid organisation id; not imported");
            return Uni.createFrom().voidItem();
        }
        Organisation sameId = run.orgById.get(id);
        if (sameId != null) {
            if (sameId.keycloakId() != null) {
                run.problems.add("Keycloak Organization " + org.id() + " (alias \"" + org.alias()
                        + "\"): organisations/" + id + " is linked to another Organization; not imported");
                return Uni.createFrom().voidItem();
            }
            run.touch(sameId);
            sameId.linkToKeycloak(org.id());
            run.orgByKeycloakId.put(org.id(), sameId);
            run.organisationIdByKeycloakId.put(org.id(), sameId.id());
            run.change(ResourceIds.ORGANISATIONS, id, SyncReport.Action.LINKED, "linked to Keycloak Organization "
                    + org.id());
            return Uni.createFrom().voidItem();
        }
        String country = org.country() == null ? null : org.country().trim().toUpperCase(Locale.ROOT);
        if (country == null || !CountryCodes.isValid(country)) {
            run.problems.add("Keycloak Organization " + org.id() + " (alias \"" + org.alias() + "\"): "
                    + (country == null ? "no" : "an invalid") + " country attribute (ISO 3166-1 alpha-2 country of "
                    + "incorporation needed); not imported");
            return Uni.createFrom().voidItem();
        }
        Organisation created = new Organisation(id, name, country, now);
        created.linkToKeycloak(org.id());
        run.created(ResourceIds.name(ResourceIds.ORGANISATIONS, id), created);
        run.knowOrganisation(created);
        run.organisationIdByKeycloakId.put(org.id(), id);
        return organisations.persist(created)
                .flatMap(stored -> screening.screenOrganisation(created))
                .invoke(screened -> {
                    run.change(ResourceIds.ORGANISATIONS, id, SyncReport.Action.CREATED, "from Keycloak Organization "
                            + org.id() + " (\"" + name + "\", " + country + ")");
                    run.changedOrganisations.add(id);
                })
                .replaceWithVoid();
    }

    private Uni<Void> syncUser(Run run, KeycloakDirectory.User user) {
        Instant now = clock.now();
        String name = displayName(user.displayName(), user.username());
        String organisationId = membership(run, user);
        Person linked = run.personBySubject.get(user.id());
        if (linked == null) {
            String id = idFrom(user.username());
            Person sameId = id == null ? null : run.personById.get(id);
            if (sameId != null && sameId.subject() == null) {
                run.touch(sameId);
                sameId.linkToSubject(user.id(), now);
                run.personBySubject.put(user.id(), sameId);
                run.change(ResourceIds.PERSONS, sameId.id(), SyncReport.Action.LINKED, "linked to Keycloak user "
                        + user.id() + " (" + user.username() + ")");
                run.changedPersons.add(sameId.id());
                linked = sameId;
            } else {
                return createPerson(run, user, id == null || sameId != null ? null : id, name, organisationId, now);
            }
        }
        Person person = linked;
        Uni<Void> step = Uni.createFrom().voidItem();
        if (organisationId != null && !organisationId.equals(person.organisationId())) {
            String before = person.organisationId();
            run.touch(person);
            person.moveToOrganisation(organisationId, now);
            run.change(ResourceIds.PERSONS, person.id(), SyncReport.Action.UPDATED, "organisation "
                    + (before == null ? "none" : before) + " -> " + organisationId);
            run.changedPersons.add(person.id());
        }
        if (!person.displayName().equals(name)) {
            String before = person.displayName();
            run.touch(person);
            person.rename(name, now);
            step = screening.screenPerson(person).invoke(screened -> {
                run.change(ResourceIds.PERSONS, person.id(), SyncReport.Action.UPDATED,
                        "display name \"" + before + "\" -> \"" + name + "\"");
                run.changedPersons.add(person.id());
            }).replaceWithVoid();
        }
        return step;
    }

    private Uni<Void> createPerson(Run run, KeycloakDirectory.User user, String preferredId, String name,
                                   String organisationId, Instant now) {
        String id = preferredId != null ? preferredId : "kc-" + user.id().toLowerCase(Locale.ROOT);
        if (!ResourceIds.isValidId(id) || run.personById.containsKey(id)) {
            run.problems.add("Keycloak user " + user.id() + " (" + user.username() + "): no free person id; not imported");
            return Uni.createFrom().voidItem();
        }
        Person created = new Person(id, name, organisationId, user.id(), now);
        run.knowPerson(created);
        run.created(ResourceIds.name(ResourceIds.PERSONS, id), created);
        return persons.persist(created)
                .flatMap(stored -> screening.screenPerson(created))
                .invoke(screened -> {
                    run.change(ResourceIds.PERSONS, id, SyncReport.Action.CREATED, "from Keycloak user " + user.id()
                            + " (" + user.username() + (organisationId == null ? "" : ", organisation " + organisationId)
                            + ")");
                    run.changedPersons.add(id);
                })
                .replaceWithVoid();
    }

    /** The organisation of the user's only imported Organization; null when none or several (reported). */
    private static String membership(Run run, KeycloakDirectory.User user) {
        Set<String> ids = new LinkedHashSet<>();
        for (String kcOrg : run.directory.organizationsOf(user.id())) {
            String id = run.organisationIdByKeycloakId.get(kcOrg);
            if (id != null) {
                ids.add(id);
            }
        }
        if (ids.size() > 1) {
            run.problems.add("Keycloak user " + user.id() + " (" + user.username() + ") is a member of "
                    + ids.size() + " organisations " + ids + "; membership left as is");
            return null;
        }
        return ids.isEmpty() ? null : ids.iterator().next();
    }

    /** A Keycloak username or alias as a resource id, when it can be one without guessing. */
    static String idFrom(String name) {
        if (name == null) {
            return null;
        }
        String id = name.trim().toLowerCase(Locale.ROOT);
        return ResourceIds.isValidId(id) ? id : null;
    }

    private static String displayName(String name, String fallback) {
        String chosen = name == null || name.isBlank() ? Objects.requireNonNullElse(fallback, "") : name.trim();
        return chosen.length() > MAX_DISPLAY_NAME ? chosen.substring(0, MAX_DISPLAY_NAME) : chosen;
    }

    /** The working set of one run. */
    private static final class Run {
        final KeycloakDirectory directory;
        final Map<String, Organisation> orgById = new HashMap<>();
        final Map<String, Organisation> orgByKeycloakId = new HashMap<>();
        final Map<String, String> organisationIdByKeycloakId = new HashMap<>();
        final Map<String, Person> personById = new HashMap<>();
        final Map<String, Person> personBySubject = new HashMap<>();
        final List<SyncReport.Change> changes = new ArrayList<>();
        final List<String> problems = new ArrayList<>();
        final Set<String> changedPersons = new LinkedHashSet<>();
        final Set<String> changedOrganisations = new LinkedHashSet<>();
        /** Resource name to the entity the run created or changed, in the order first touched. */
        final Map<String, Object> touched = new LinkedHashMap<>();
        /** Resource name to its API form before the run first changed it; absent for a created one. */
        final Map<String, com.google.protobuf.Message> before = new HashMap<>();

        Run(KeycloakDirectory directory) {
            this.directory = directory;
        }

        void knowOrganisation(Organisation o) {
            orgById.put(o.id(), o);
            if (o.keycloakId() != null) {
                orgByKeycloakId.put(o.keycloakId(), o);
            }
        }

        void knowPerson(Person p) {
            personById.put(p.id(), p);
            if (p.subject() != null) {
                personBySubject.put(p.subject(), p);
            }
        }

        /** Call before changing {@code p}: keeps its first before state. */
        void touch(Person p) {
            String name = ResourceIds.name(ResourceIds.PERSONS, p.id());
            if (touched.putIfAbsent(name, p) == null) {
                before.put(name, IdentityMapping.toProto(p));
            }
        }

        void touch(Organisation o) {
            String name = ResourceIds.name(ResourceIds.ORGANISATIONS, o.id());
            if (touched.putIfAbsent(name, o) == null) {
                before.put(name, IdentityMapping.toProto(o));
            }
        }

        void created(String name, Object entity) {
            touched.put(name, entity);
        }

        void change(String collection, String id, SyncReport.Action action, String detail) {
            changes.add(new SyncReport.Change(ResourceIds.name(collection, id), action, detail));
        }
    }
}
