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
