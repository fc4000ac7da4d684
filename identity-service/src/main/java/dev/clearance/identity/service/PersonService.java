package dev.clearance.identity.service;

import com.google.rpc.Code;
import dev.clearance.api.ApiError;
import dev.clearance.common.v1.ErrorReason;
import dev.clearance.identity.ErrorDomain;
import dev.clearance.identity.mapping.IdentityMapping;
import dev.clearance.identity.domain.Person;
import dev.clearance.identity.repository.OrganisationRepository;
import dev.clearance.identity.repository.PersonRepository;
import dev.clearance.identity.screening.ScreeningService;
import dev.clearance.identity.validation.Paging;
import dev.clearance.identity.validation.ResourceIds;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.List;

@ApplicationScoped
public class PersonService {

    private final PersonRepository persons;
    private final OrganisationRepository organisations;
    private final PersonStatus status;
    private final ScreeningService screening;
    private final DatabaseClock clock;

    /** The change log; a field so the constructor stays as other work expects it. */
    @Inject
    ChangeLog changeLog;

    @Inject
    public PersonService(PersonRepository persons, OrganisationRepository organisations, PersonStatus status,
                         ScreeningService screening, DatabaseClock clock) {
        this.persons = persons;
        this.organisations = organisations;
        this.status = status;
        this.screening = screening;
        this.clock = clock;
    }

    /**
     * A new person starts UNKNOWN at revision 1 and is screened in the same transaction (a hit
     * makes them POTENTIAL_MATCH at revision 2); only evidence and screening change that.
     */
    @WithTransaction
    public Uni<Person> create(NewPerson request, String actor) {
        String name = ResourceIds.name(ResourceIds.PERSONS, request.id());
        return persons.findById(request.id())
                .flatMap(existing -> {
                    if (existing != null) {
                        throw ApiError.alreadyExists(ErrorDomain.IDENTITY, name).toException();
                    }
                    return requireOrganisation(request.organisationId());
                })
                .flatMap(ignored -> request.subject() == null
                        ? Uni.createFrom().item(false) : persons.subjectTaken(request.subject()))
                .flatMap(subjectTaken -> {
                    if (subjectTaken) {
                        throw subjectTaken(request.subject());
                    }
                    Person person = new Person(request.id(), request.displayName(), request.organisationId(),
                            request.subject(), clock.now());
                    return persons.persistAndFlush(person)
                            .flatMap(stored -> screening.screenPerson(stored).replaceWith(stored))
                            .call(stored -> changeLog.record(actor, name, ChangeLog.CREATE, null,
                                    IdentityMapping.toProto(stored), ""));
                })
                // A concurrent create with the same id or subject loses on the unique index.
                .onFailure(StorageErrors::isUniqueViolation)
                .transform(e -> ApiError.alreadyExists(ErrorDomain.IDENTITY, name).toException());
    }

    /**
     * Renames and screens again in one transaction; the revision moves only if the screening
     * status does (a name alone changes no decision).
     */
    @WithTransaction
    public Uni<Person> rename(String id, String displayName, String actor) {
        return persons.lockForUpdate(id).flatMap(person -> {
            if (person == null) {
                throw ApiError.notFound(ErrorDomain.IDENTITY, ResourceIds.name(ResourceIds.PERSONS, id)).toException();
            }
            var before = IdentityMapping.toProto(person);
            person.rename(displayName, clock.now());
            return screening.screenPerson(person).flatMap(ignored -> status.current(person))
                    .call(after -> changeLog.record(actor, ResourceIds.name(ResourceIds.PERSONS, id), ChangeLog.UPDATE,
                            before, IdentityMapping.toProto(after), ""));
        });
    }

    @WithSession
    public Uni<Person> get(String id) {
        return persons.findWithStatus(id)
                .flatMap(found -> {
                    if (found == null) {
                        throw ApiError.notFound(ErrorDomain.IDENTITY, ResourceIds.name(ResourceIds.PERSONS, id)).toException();
                    }
                    return status.current(found);
                });
    }

    @WithSession
    public Uni<PageOf<Person>> list(Paging.Page page) {
        return persons.page(page.afterId(), page.size() + 1)
                .flatMap(rows -> {
                    String next = "";
                    List<Person> items = rows;
                    if (rows.size() > page.size()) {
                        items = rows.subList(0, page.size());
                        next = Paging.token(ResourceIds.PERSONS, items.get(items.size() - 1).id());
                    }
                    String nextPageToken = next;
                    return status.current(List.copyOf(items)).map(fresh -> new PageOf<>(fresh, nextPageToken));
                });
    }

    private Uni<Void> requireOrganisation(String organisationId) {
        if (organisationId == null) {
            return Uni.createFrom().voidItem();
        }
        return organisations.findById(organisationId).map(found -> {
            if (found == null) {
                String name = ResourceIds.name(ResourceIds.ORGANISATIONS, organisationId);
                throw ApiError.invalidArgument(ErrorDomain.IDENTITY)
                        .violation("person.organisation", name + " does not exist")
                        .toException();
            }
            return null;
        });
    }

    private static RuntimeException subjectTaken(String subject) {
        return ApiError.of(Code.ALREADY_EXISTS, ErrorReason.ERROR_REASON_RESOURCE_ALREADY_EXISTS, ErrorDomain.IDENTITY,
                        "another person is already linked to subject " + subject)
                .put("subject", subject)
                .toException();
    }
}
