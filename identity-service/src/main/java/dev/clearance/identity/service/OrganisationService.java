package dev.clearance.identity.service;

import dev.clearance.api.ApiError;
import dev.clearance.identity.ErrorDomain;
import dev.clearance.identity.mapping.IdentityMapping;
import dev.clearance.identity.domain.Organisation;
import dev.clearance.identity.repository.OrganisationRepository;
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
public class OrganisationService {

    private final OrganisationRepository organisations;
    private final ScreeningService screening;
    private final DatabaseClock clock;

    /** The change log; a field so the constructor stays as other work expects it. */
    @Inject
    ChangeLog changeLog;

    @Inject
    public OrganisationService(OrganisationRepository organisations, ScreeningService screening, DatabaseClock clock) {
        this.organisations = organisations;
        this.screening = screening;
        this.clock = clock;
    }

    /** Screened in the same transaction. */
    @WithTransaction
    public Uni<Organisation> create(NewOrganisation request, String actor) {
        String name = ResourceIds.name(ResourceIds.ORGANISATIONS, request.id());
        return organisations.findById(request.id())
                .flatMap(existing -> {
                    if (existing != null) {
                        throw ApiError.alreadyExists(ErrorDomain.IDENTITY, name).toException();
                    }
                    Organisation organisation = new Organisation(request.id(), request.displayName(), request.country(), clock.now());
                    return organisations.persistAndFlush(organisation)
                            .flatMap(stored -> screening.screenOrganisation(stored).replaceWith(stored))
                            .call(stored -> changeLog.record(actor, name, ChangeLog.CREATE, null,
                                    IdentityMapping.toProto(stored), ""));
                })
                // A concurrent create of the same id loses on the primary key.
                .onFailure(StorageErrors::isUniqueViolation)
                .transform(e -> ApiError.alreadyExists(ErrorDomain.IDENTITY, name).toException());
    }

    /** Changes the given fields (null: unchanged) and screens again in one transaction. */
    @WithTransaction
    public Uni<Organisation> update(String id, String displayName, String country, String actor) {
        return organisations.findById(id).flatMap(found -> {
            if (found == null) {
                throw ApiError.notFound(ErrorDomain.IDENTITY, ResourceIds.name(ResourceIds.ORGANISATIONS, id)).toException();
            }
            var before = IdentityMapping.toProto(found);
            found.update(displayName == null ? found.displayName() : displayName,
                    country == null ? found.country() : country);
            return screening.screenOrganisation(found).replaceWith(found)
                    .call(after -> changeLog.record(actor, ResourceIds.name(ResourceIds.ORGANISATIONS, id),
                            ChangeLog.UPDATE, before, IdentityMapping.toProto(after), ""));
        });
    }

    @WithSession
    public Uni<Organisation> get(String id) {
        return organisations.findById(id).map(found -> {
            if (found == null) {
                throw ApiError.notFound(ErrorDomain.IDENTITY, ResourceIds.name(ResourceIds.ORGANISATIONS, id)).toException();
            }
            return found;
        });
    }

    @WithSession
    public Uni<PageOf<Organisation>> list(Paging.Page page) {
        return organisations.page(page.afterId(), page.size() + 1).map(rows -> pageOf(rows, page.size()));
    }

    private static PageOf<Organisation> pageOf(List<Organisation> rows, int size) {
        if (rows.size() <= size) {
            return new PageOf<>(rows, "");
        }
        List<Organisation> items = rows.subList(0, size);
        return new PageOf<>(List.copyOf(items), Paging.token(ResourceIds.ORGANISATIONS, items.get(size - 1).id()));
    }
}
