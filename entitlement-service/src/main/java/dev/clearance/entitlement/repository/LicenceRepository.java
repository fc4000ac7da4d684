package dev.clearance.entitlement.repository;

import dev.clearance.entitlement.domain.LicenceEntity;
import dev.clearance.entitlement.domain.LicenceModelPatternEntity;
import dev.clearance.entitlement.domain.LicenceNamedPersonEntity;
import dev.clearance.entitlement.domain.StoredLicence;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

@ApplicationScoped
public class LicenceRepository implements PanacheRepositoryBase<LicenceEntity, String> {

    public Uni<Void> create(LicenceEntity licence, List<String> namedPersons, List<String> patterns) {
        List<Object> rows = new ArrayList<>();
        for (int i = 0; i < namedPersons.size(); i++) {
            rows.add(new LicenceNamedPersonEntity(licence.id, i, namedPersons.get(i)));
        }
        for (int i = 0; i < patterns.size(); i++) {
            rows.add(new LicenceModelPatternEntity(licence.id, i, patterns.get(i)));
        }
        return persistAndFlush(licence).chain(() -> ChildRows.persist(rows));
    }

    public Uni<StoredLicence> findStored(String id) {
        return findById(id).chain(l -> l == null ? Uni.createFrom().nullItem()
                : ChildRows.values("LicenceNamedPersonEntity", "person", id)
                        .chain(persons -> ChildRows.values("LicenceModelPatternEntity", "pattern", id)
                                .map(patterns -> new StoredLicence(l, persons, patterns))));
    }

    public Uni<Void> replaceChildren(String id, List<String> namedPersons, List<String> patterns) {
        List<LicenceNamedPersonEntity> persons = new ArrayList<>();
        for (int i = 0; i < namedPersons.size(); i++) {
            persons.add(new LicenceNamedPersonEntity(id, i, namedPersons.get(i)));
        }
        List<LicenceModelPatternEntity> models = new ArrayList<>();
        for (int i = 0; i < patterns.size(); i++) {
            models.add(new LicenceModelPatternEntity(id, i, patterns.get(i)));
        }
        return ChildRows.replace("LicenceNamedPersonEntity", id, persons)
                .chain(() -> ChildRows.replace("LicenceModelPatternEntity", id, models));
    }

    public Uni<Void> deleteStored(LicenceEntity licence) {
        return ChildRows.deleteAll("LicenceNamedPersonEntity", licence.id)
                .chain(() -> ChildRows.deleteAll("LicenceModelPatternEntity", licence.id))
                .chain(() -> delete(licence));
    }

    /** A page of licences by id; children read one licence at a time (pages are small). */
    public Uni<List<StoredLicence>> page(String after, int limit) {
        var query = after == null ? findAll(Sort.by("id")) : find("id > ?1", Sort.by("id"), after);
        return query.range(0, limit - 1).list().chain(licences -> {
            Uni<List<StoredLicence>> result = Uni.createFrom().item(new ArrayList<>());
            for (LicenceEntity l : licences) {
                result = result.chain(list -> ChildRows.values("LicenceNamedPersonEntity", "person", l.id)
                        .chain(persons -> ChildRows.values("LicenceModelPatternEntity", "pattern", l.id)
                                .map(patterns -> {
                                    list.add(new StoredLicence(l, persons, patterns));
                                    return list;
                                })));
            }
            return result;
        });
    }

    public Uni<List<StoredLicence>> all() {
        Sort childOrder = Sort.by("owner").and("position");
        return listAll(Sort.by("id")).chain(licences -> LicenceNamedPersonEntity
                .<LicenceNamedPersonEntity>listAll(childOrder)
                .chain(persons -> LicenceModelPatternEntity.<LicenceModelPatternEntity>listAll(childOrder)
                        .map(patterns -> {
                            Map<String, List<String>> named = ChildRows.byOwner(persons, r -> r.owner, r -> r.person);
                            Map<String, List<String>> models = ChildRows.byOwner(patterns, r -> r.owner, r -> r.pattern);
                            return licences.stream()
                                    .map(l -> new StoredLicence(l, ChildRows.of(named, l.id), ChildRows.of(models, l.id)))
                                    .toList();
                        })));
    }
}
