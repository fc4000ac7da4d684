package dev.clearance.identity.service;

import dev.clearance.identity.repository.PersonRepository;
import dev.clearance.identity.repository.PopulationRepository;
import dev.clearance.identity.repository.PopulationRepository.ApiKeyRow;
import dev.clearance.identity.repository.PopulationRepository.OrganisationRow;
import dev.clearance.identity.repository.PopulationRepository.PersonRow;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * StreamPopulation: every organisation, then every person, then every active API key, in batches,
 * each table read page after page by id (keyset) without a round trip to the caller in between.
 * A person whose stored status is due for a recompute (evidence expired) is recomputed first, as
 * ListPersons does, so the preview never sees a status the evidence no longer supports.
 */
@ApplicationScoped
public class PopulationService {

    /** One message of the stream: exactly one of the lists is non-empty. */
    public record Batch(List<OrganisationRow> organisations, List<PersonRow> persons, List<ApiKeyRow> apiKeys) {
    }

    private final PopulationRepository population;
    private final PersonRepository persons;
    private final PersonStatus status;
    private final DatabaseClock clock;

    public PopulationService(PopulationRepository population, PersonRepository persons, PersonStatus status,
                             DatabaseClock clock) {
        this.population = population;
        this.persons = persons;
        this.status = status;
        this.clock = clock;
    }

    public Multi<Batch> stream(int batchSize) {
        Instant now = clock.now();
        Multi<Batch> organisations = pages(population::organisations, OrganisationRow::id, batchSize)
                .map(rows -> new Batch(rows, List.of(), List.of()));
        Multi<Batch> people = pages(population::persons, PersonRow::id, batchSize)
                .onItem().transformToUniAndConcatenate(rows -> current(rows, now))
                .map(rows -> new Batch(List.of(), rows, List.of()));
        Multi<Batch> keys = pages((after, limit) -> population.activeApiKeys(after, limit, now), ApiKeyRow::id, batchSize)
                .map(rows -> new Batch(List.of(), List.of(), rows));
        return Multi.createBy().concatenating().streams(organisations, people, keys);
    }

    /** Pages in id order until an empty one (not emitted); the next page starts after the last id. */
    private static <T> Multi<List<T>> pages(BiFunction<String, Integer, Uni<List<T>>> query, Function<T, String> id,
                                            int size) {
        String[] after = {""};
        return Multi.createBy().repeating()
                .uni(() -> query.apply(after[0], size).invoke(rows -> {
                    if (!rows.isEmpty()) {
                        after[0] = id.apply(rows.get(rows.size() - 1));
                    }
                }))
                .until(List::isEmpty);
    }

    /** Rows whose status is due for a recompute are recomputed (rare: the expiry sweep catches most). */
    private Uni<List<PersonRow>> current(List<PersonRow> rows, Instant now) {
        if (rows.stream().noneMatch(r -> r.isStatusStaleAt(now))) {
            return Uni.createFrom().item(rows);
        }
        List<PersonRow> out = new ArrayList<>(rows.size());
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (PersonRow row : rows) {
            if (!row.isStatusStaleAt(now)) {
                chain = chain.invoke(() -> out.add(row));
                continue;
            }
            chain = chain.chain(() -> Panache.withSession(() -> persons.findWithStatus(row.id())
                            .flatMap(p -> p == null ? Uni.createFrom().nullItem() : status.current(p))))
                    .invoke(fresh -> {
                        if (fresh != null) {
                            out.add(PersonRow.of(fresh));
                        }
                    }).replaceWithVoid();
        }
        return chain.replaceWith(out);
    }
}
