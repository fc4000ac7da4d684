package dev.clearance.identity.screening;

import com.google.rpc.Code;
import dev.clearance.api.ApiError;
import dev.clearance.common.v1.ErrorReason;
import dev.clearance.identity.ErrorDomain;
import dev.clearance.identity.domain.Citizenship;
import dev.clearance.identity.domain.Organisation;
import dev.clearance.identity.domain.Person;
import dev.clearance.identity.domain.ScreeningMatch;
import dev.clearance.identity.domain.ScreeningMatch.SubjectType;
import dev.clearance.identity.domain.ScreeningStatus;
import dev.clearance.identity.mapping.IdentityMapping;
import dev.clearance.identity.repository.OrganisationRepository;
import dev.clearance.identity.repository.PersonRepository;
import dev.clearance.identity.metrics.IdentityMetrics;
import dev.clearance.identity.repository.ScreeningMatchRepository;
import dev.clearance.identity.service.ChangeLog;
import dev.clearance.identity.service.DatabaseClock;
import dev.clearance.identity.service.PageOf;
import dev.clearance.identity.validation.ResourceIds;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Denied-party screening of persons and organisations: on create, on every list reload, and on
 * an officer's decision. A subject's status is the worst of its matches: any CONFIRMED match is
 * CONFIRMED_MATCH, any OPEN one POTENTIAL_MATCH, else CLEAR. A person whose status changes gets
 * a new identity revision; when an organisation's changes, every member does (their caller
 * identity carries it). A reload's status changes are the service's own writes: each person or
 * organisation whose status changed gets a change-log row (actor {@code system}, reason naming the
 * list) in the batch's transaction.
 */
@ApplicationScoped
public class ScreeningService {

    /** Subjects rescreened per transaction on reload. */
    static final int BATCH = 200;

    private final ScreeningLists lists;
    private final ScreeningConfig config;
    private final ScreeningMatchRepository matches;

    @Inject
    IdentityMetrics metrics;
    /** An officer's resolution of a match is an admin write: logged in its transaction. */
    @Inject
    ChangeLog changeLog;
    private final PersonRepository persons;
    private final OrganisationRepository organisations;
    private final DatabaseClock clock;

    @Inject
    public ScreeningService(ScreeningLists lists, ScreeningConfig config, ScreeningMatchRepository matches,
                            PersonRepository persons, OrganisationRepository organisations, DatabaseClock clock) {
        this.lists = lists;
        this.config = config;
        this.matches = matches;
        this.persons = persons;
        this.organisations = organisations;
        this.clock = clock;
    }

    /**
     * Result of a reload. {@code changedPersons}/{@code changedOrganisations}: ids whose status
     * changed (published on the change stream after commit); {@code restricted*}: those whose
     * status got worse (their Keycloak sessions end).
     */
    public record Reload(LoadedList list, int subjectsScreened, int statusChanges,
                         List<String> changedPersons, List<String> changedOrganisations,
                         List<String> restrictedPersons, List<String> restrictedOrganisations) {
    }

    /** Subjects whose status changed during one reload, filled as the batches commit. */
    private static final class Changed {
        final List<String> persons = new ArrayList<>();
        final List<String> organisations = new ArrayList<>();
        final List<String> restrictedPersons = new ArrayList<>();
        final List<String> restrictedOrganisations = new ArrayList<>();
    }

    private static boolean worse(ScreeningStatus after, ScreeningStatus before) {
        return after != before && after.worst(before) == after;
    }

    /** Screens a person in the caller's transaction; returns whether their status changed. */
    public Uni<Boolean> screenPerson(Person person) {
        return matches.forSubject(SubjectType.PERSON, person.id())
                .flatMap(existing -> rescreen(SubjectType.PERSON, person.id(), person.displayName(),
                        countries(person), existing, lists.current()))
                .map(status -> person.screened(status, clock.now()));
    }

    /** Screens an organisation in the caller's transaction; returns whether its status changed. */
    public Uni<Boolean> screenOrganisation(Organisation organisation) {
        return matches.forSubject(SubjectType.ORGANISATION, organisation.id())
                .flatMap(existing -> rescreen(SubjectType.ORGANISATION, organisation.id(), organisation.displayName(),
                        Set.of(organisation.country()), existing, lists.current()))
                .flatMap(status -> applyToOrganisation(organisation, status));
    }

    /**
     * Reloads the list and rescreens everyone against it, {@value #BATCH} subjects per
     * transaction. Fails with {@link ScreeningLists.ListReloadFailedException} when the file is
     * unusable; the list in force stays and nothing is rescreened.
     */
    public Uni<Reload> reloadAndRescreen() {
        Changed changed = new Changed();
        return lists.reload().flatMap(list -> rescreenPersons(list, null, 0, 0, changed)
                .flatMap(p -> rescreenOrganisations(list, null, p[0], p[1], changed))
                .map(counts -> new Reload(list, counts[0], counts[1], List.copyOf(changed.persons),
                        List.copyOf(changed.organisations), List.copyOf(changed.restrictedPersons),
                        List.copyOf(changed.restrictedOrganisations))));
    }

    private Uni<int[]> rescreenPersons(LoadedList list, String afterId, int screened, int changed, Changed ids) {
        return Panache.withTransaction(() -> persons.page(afterId, BATCH).flatMap(page -> {
                    Map<String, Person> byId = page.stream().collect(Collectors.toMap(Person::id, p -> p));
                    return matches.forSubjects(SubjectType.PERSON, byId.keySet()).flatMap(all -> {
                        Map<String, List<ScreeningMatch>> bySubject = group(all);
                        Uni<Integer> changes = Uni.createFrom().item(0);
                        for (Person p : page) {
                            ScreeningStatus before = p.screeningStatus();
                            changes = changes.flatMap(n -> rescreen(SubjectType.PERSON, p.id(), p.displayName(),
                                    countries(p), bySubject.getOrDefault(p.id(), List.of()), list)
                                    .flatMap(status -> {
                                        if (status == p.screeningStatus()) {
                                            return Uni.createFrom().item(n);
                                        }
                                        var beforeProto = IdentityMapping.toProto(p);
                                        p.screened(status, clock.now());
                                        ids.persons.add(p.id());
                                        if (worse(status, before)) {
                                            ids.restrictedPersons.add(p.id());
                                        }
                                        return changeLog.record(ChangeLog.SYSTEM, ResourceIds.name(ResourceIds.PERSONS,
                                                p.id()), ChangeLog.UPDATE, beforeProto, IdentityMapping.toProto(p),
                                                reloaded(list)).replaceWith(n + 1);
                                    }));
                        }
                        return changes.map(n -> new Object[]{page, n});
                    });
                }))
                .flatMap(result -> {
                    @SuppressWarnings("unchecked")
                    List<Person> page = (List<Person>) result[0];
                    int total = screened + page.size();
                    int totalChanged = changed + (Integer) result[1];
                    if (page.size() < BATCH) {
                        return Uni.createFrom().item(new int[]{total, totalChanged});
                    }
                    return rescreenPersons(list, page.get(page.size() - 1).id(), total, totalChanged, ids);
                });
    }

    private Uni<int[]> rescreenOrganisations(LoadedList list, String afterId, int screened, int changed,
                                             Changed changedIds) {
        return Panache.withTransaction(() -> organisations.page(afterId, BATCH).flatMap(page -> {
                    Set<String> ids = page.stream().map(Organisation::id).collect(Collectors.toSet());
                    return matches.forSubjects(SubjectType.ORGANISATION, ids).flatMap(all -> {
                        Map<String, List<ScreeningMatch>> bySubject = group(all);
                        Uni<Integer> changes = Uni.createFrom().item(0);
                        for (Organisation o : page) {
                            ScreeningStatus before = o.screeningStatus();
                            var beforeProto = IdentityMapping.toProto(o);
                            changes = changes.flatMap(n -> rescreen(SubjectType.ORGANISATION, o.id(), o.displayName(),
                                    Set.of(o.country()), bySubject.getOrDefault(o.id(), List.of()), list)
                                    .flatMap(status -> applyToOrganisation(o, status))
                                    .flatMap(c -> {
                                        if (!c) {
                                            return Uni.createFrom().item(n);
                                        }
                                        changedIds.organisations.add(o.id());
                                        if (worse(o.screeningStatus(), before)) {
                                            changedIds.restrictedOrganisations.add(o.id());
                                        }
                                        return changeLog.record(ChangeLog.SYSTEM, ResourceIds.name(
                                                ResourceIds.ORGANISATIONS, o.id()), ChangeLog.UPDATE, beforeProto,
                                                IdentityMapping.toProto(o), reloaded(list)).replaceWith(n + 1);
                                    }));
                        }
                        return changes.map(n -> new Object[]{page, n});
                    });
                }))
                .flatMap(result -> {
                    @SuppressWarnings("unchecked")
                    List<Organisation> page = (List<Organisation>) result[0];
                    int total = screened + page.size();
                    int totalChanged = changed + (Integer) result[1];
                    if (page.size() < BATCH) {
                        return Uni.createFrom().item(new int[]{total, totalChanged});
                    }
                    return rescreenOrganisations(list, page.get(page.size() - 1).id(), total, totalChanged, changedIds);
                });
    }

    /**
     * Compares the subject with the list, opens a match per new hit, reopens lapsed ones that
     * hit again, lapses open ones that no longer hit; returns the subject's status.
     */
    private Uni<ScreeningStatus> rescreen(SubjectType type, String id, String name, Set<String> countries,
                                          List<ScreeningMatch> existing, LoadedList list) {
        List<Screener.Hit> hits = Screener.screen(list, List.of(name), countries, config.potentialThreshold());
        Map<String, ScreeningMatch> byKey = new HashMap<>();
        existing.forEach(m -> byKey.put(m.key(), m));
        Set<String> hitKeys = new HashSet<>();
        List<ScreeningMatch> created = new ArrayList<>();
        var now = clock.now();
        for (Screener.Hit hit : hits) {
            String fingerprint = hit.party().fingerprint();
            String key = hit.party().id() + "\n" + fingerprint + "\n" + name;
            hitKeys.add(key);
            ScreeningMatch known = byKey.get(key);
            if (known == null) {
                created.add(new ScreeningMatch(UUID.randomUUID().toString(), type, id, name, hit.party().id(),
                        fingerprint, hit.party().source(), hit.listedName(), hit.party().countries(), hit.score(),
                        hit.strong(), list.version(), now));
            } else {
                known.reopen(list.version(), now);
            }
        }
        for (ScreeningMatch m : existing) {
            if (!hitKeys.contains(m.key())) {
                m.lapse("no longer matches (list " + list.version().substring(0, 12) + ")", now);
            }
        }
        List<ScreeningMatch> all = new ArrayList<>(existing);
        all.addAll(created);
        ScreeningStatus status = statusOf(all);
        return created.isEmpty() ? Uni.createFrom().item(status)
                : matches.persist(created)
                        .invoke(() -> metrics.screeningMatches(type.name().toLowerCase(Locale.ROOT),
                                created.size()))
                        .replaceWith(status);
    }

    /** The reason of a reload's change rows. */
    static String reloaded(LoadedList list) {
        return "screening list " + list.source() + " reloaded (version " + list.version().substring(0, 12) + ")";
    }

    static ScreeningStatus statusOf(Collection<ScreeningMatch> all) {
        ScreeningStatus status = ScreeningStatus.CLEAR;
        for (ScreeningMatch m : all) {
            if (m.state() == ScreeningMatch.State.CONFIRMED) {
                status = status.worst(ScreeningStatus.CONFIRMED_MATCH);
            } else if (m.state() == ScreeningMatch.State.OPEN) {
                status = status.worst(ScreeningStatus.POTENTIAL_MATCH);
            }
        }
        return status;
    }

    private Uni<Boolean> applyToOrganisation(Organisation organisation, ScreeningStatus status) {
        if (!organisation.screened(status)) {
            return Uni.createFrom().item(false);
        }
        return persons.bumpMembers(organisation.id(), clock.now()).replaceWith(true);
    }

    /** A resolved match and its subject's status after the decision. */
    public record Resolved(ScreeningMatch match, ScreeningStatus subjectStatus) {
    }

    @WithTransaction
    public Uni<Resolved> resolve(String matchId, ScreeningMatch.State to, String actor, String reason) {
        String name = ResourceIds.name(ResourceIds.SCREENING_MATCHES, matchId);
        return matches.findById(matchId).flatMap(match -> {
            if (match == null) {
                throw ApiError.notFound(ErrorDomain.IDENTITY, name).toException();
            }
            if (!match.canResolveTo(to)) {
                throw ApiError.of(Code.FAILED_PRECONDITION, ErrorReason.ERROR_REASON_FAILED_PRECONDITION,
                                ErrorDomain.IDENTITY, name + " is " + match.state() + " and cannot become " + to)
                        .put("resource", name)
                        .put("state", match.state().name())
                        .toException();
            }
            var before = IdentityMapping.toProto(match);
            match.resolve(to, actor, reason, clock.now());
            return matches.forSubject(match.subjectType(), match.subjectId())
                    .flatMap(all -> applyStatus(match, statusOf(all)))
                    .call(status -> changeLog.record(actor, name, ChangeLog.RESOLVE, before,
                            IdentityMapping.toProto(match), reason))
                    .map(status -> new Resolved(match, status));
        });
    }

    private Uni<ScreeningStatus> applyStatus(ScreeningMatch match, ScreeningStatus status) {
        if (match.subjectType() == SubjectType.PERSON) {
            return persons.lockForUpdate(match.subjectId()).map(p -> {
                if (p != null) {
                    p.screened(status, clock.now());
                }
                return status;
            });
        }
        return organisations.findById(match.subjectId()).flatMap(o -> o == null
                ? Uni.createFrom().item(status)
                : applyToOrganisation(o, status).replaceWith(status));
    }

    @WithSession
    public Uni<PageOf<ScreeningMatch>> list(ScreeningMatch.State state, SubjectType type, String subjectId, long afterSeq,
                                            int size) {
        return matches.page(state, type, subjectId, afterSeq, size + 1).map(rows -> {
            if (rows.size() <= size) {
                return new PageOf<>(List.copyOf(rows), "");
            }
            List<ScreeningMatch> items = List.copyOf(rows.subList(0, size));
            return new PageOf<>(items, ScreeningMatchPage.token(state, type, subjectId, items.get(size - 1).seq()));
        });
    }

    private static Set<String> countries(Person p) {
        return p.citizenships().stream().map(Citizenship::country).collect(Collectors.toSet());
    }

    private static Map<String, List<ScreeningMatch>> group(List<ScreeningMatch> all) {
        Map<String, List<ScreeningMatch>> bySubject = new HashMap<>();
        all.forEach(m -> bySubject.computeIfAbsent(m.subjectId(), k -> new ArrayList<>()).add(m));
        return bySubject;
    }
}
