package dev.clearance.identity.repository;

import dev.clearance.identity.domain.AssuranceLevel;
import dev.clearance.identity.domain.Citizenship;
import dev.clearance.identity.domain.CitizenshipList;
import dev.clearance.identity.domain.Person;
import dev.clearance.identity.domain.ScreeningStatus;
import dev.clearance.identity.domain.UsPersonStatus;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * The whole population read for the impact preview: plain keyset-paginated SQL on the pool, only
 * the columns a decision needs, no entities (100,000 managed Person entities would cost the
 * persistence context far more than the rows themselves). Read-only.
 */
@ApplicationScoped
public class PopulationRepository {

    /** A person as a decision reads them. */
    public record PersonRow(String id, String organisationId, UsPersonStatus status, String controllingCountry,
                            List<Citizenship> citizenships, AssuranceLevel assurance, Instant verifyTime,
                            Instant statusRecomputeTime, ScreeningStatus screening, long identityRevision) {

        public static PersonRow of(Person p) {
            return new PersonRow(p.id(), p.organisationId(), p.usPersonStatus(), p.controllingCountry(),
                    p.citizenships(), p.assuranceLevel(), p.verifyTime(), null, p.screeningStatus(),
                    p.identityRevision());
        }

        /** As {@link Person#isStatusStaleAt}: the stored derivation must be recomputed before it is read. */
        public boolean isStatusStaleAt(Instant now) {
            return statusRecomputeTime != null && !now.isBefore(statusRecomputeTime);
        }
    }

    public record OrganisationRow(String id, String displayName, String country, ScreeningStatus screening) {
    }

    /** An active key: no secret and no hash are read. */
    public record ApiKeyRow(String id, String ownerPersonId, String ownerOrganisationId, String displayName,
                            String prefix, Instant createTime, Instant expireTime, Instant lastUseTime) {
    }

    private final Pool pool;
    private final String personSql;
    private final String organisationSql;
    private final String apiKeySql;

    public PopulationRepository(Pool pool, @ConfigProperty(name = "clearance.db.schema") String schema) {
        if (!schema.matches("[a-z_][a-z0-9_]{0,62}")) {
            throw new IllegalArgumentException("clearance.db.schema must be a lower-case SQL identifier: " + schema);
        }
        this.pool = pool;
        // Ids are never empty, so '' starts at the beginning: one statement for every page.
        this.personSql = "SELECT id, organisation_id, us_person_status, controlling_country, citizenships,"
                + " assurance_level, verify_time, status_recompute_time, screening_status, identity_revision"
                + " FROM " + schema + ".person WHERE id > $1 ORDER BY id LIMIT $2";
        this.organisationSql = "SELECT id, display_name, country, screening_status FROM " + schema
                + ".organisation WHERE id > $1 ORDER BY id LIMIT $2";
        this.apiKeySql = "SELECT id, owner_person_id, owner_organisation_id, display_name, prefix, create_time,"
                + " expire_time, last_use_time FROM " + schema + ".api_key"
                + " WHERE id > $1 AND revoke_time IS NULL AND (expire_time IS NULL OR expire_time > $3)"
                + " ORDER BY id LIMIT $2";
    }

    /** @param afterId "" for the first page */
    public Uni<List<PersonRow>> persons(String afterId, int limit) {
        return pool.preparedQuery(personSql).execute(Tuple.of(afterId, limit)).map(rows -> {
            List<PersonRow> out = new ArrayList<>(rows.size());
            for (Row r : rows) {
                String assurance = r.getString("assurance_level");
                out.add(new PersonRow(r.getString("id"), r.getString("organisation_id"),
                        UsPersonStatus.valueOf(r.getString("us_person_status")), r.getString("controlling_country"),
                        CitizenshipList.parse(r.getString("citizenships")),
                        assurance == null ? null : AssuranceLevel.valueOf(assurance),
                        instant(r, "verify_time"), instant(r, "status_recompute_time"),
                        ScreeningStatus.valueOf(r.getString("screening_status")), r.getLong("identity_revision")));
            }
            return out;
        });
    }

    public Uni<List<OrganisationRow>> organisations(String afterId, int limit) {
        return pool.preparedQuery(organisationSql).execute(Tuple.of(afterId, limit)).map(rows -> {
            List<OrganisationRow> out = new ArrayList<>(rows.size());
            for (Row r : rows) {
                out.add(new OrganisationRow(r.getString("id"), r.getString("display_name"), r.getString("country"),
                        ScreeningStatus.valueOf(r.getString("screening_status"))));
            }
            return out;
        });
    }

    /** Keys neither revoked nor expired at {@code now}. */
    public Uni<List<ApiKeyRow>> activeApiKeys(String afterId, int limit, Instant now) {
        return pool.preparedQuery(apiKeySql).execute(Tuple.of(afterId, limit, OffsetDateTime.ofInstant(now, ZoneOffset.UTC)))
                .map(rows -> {
                    List<ApiKeyRow> out = new ArrayList<>(rows.size());
                    for (Row r : rows) {
                        out.add(new ApiKeyRow(r.getString("id"), r.getString("owner_person_id"),
                                r.getString("owner_organisation_id"), r.getString("display_name"), r.getString("prefix"),
                                instant(r, "create_time"), instant(r, "expire_time"), instant(r, "last_use_time")));
                    }
                    return out;
                });
    }

    private static Instant instant(Row r, String column) {
        OffsetDateTime t = r.getOffsetDateTime(column);
        return t == null ? null : t.toInstant();
    }
}
