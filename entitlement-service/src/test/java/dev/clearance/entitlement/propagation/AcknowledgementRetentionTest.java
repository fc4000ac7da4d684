package dev.clearance.entitlement.propagation;

import dev.clearance.testing.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Pruning keeps recent history and every router's newest acknowledgement; it forgets routers long gone. */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class AcknowledgementRetentionTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    PropagationRepository repository;

    @Inject
    Pool pool;

    @ConfigProperty(name = "clearance.db.schema")
    String schema;

    private void ack(String router, long revision, int daysAgo) {
        pool.preparedQuery("INSERT INTO " + schema + ".router_acknowledgement"
                        + " (router_id, revision, apply_time, replica, acknowledge_time)"
                        + " VALUES ($1, $2, now() - make_interval(days => $3), 'r', now() - make_interval(days => $3))")
                .execute(Tuple.of(router, revision, daysAgo)).await().atMost(WAIT);
    }

    private void seen(String router, int daysAgo) {
        pool.preparedQuery("INSERT INTO " + schema + ".router_presence (router_id, replica, last_seen)"
                        + " VALUES ($1, 'r', now() - make_interval(days => $2))")
                .execute(Tuple.of(router, daysAgo)).await().atMost(WAIT);
    }

    private List<Long> revisions(String router) {
        List<Long> out = new ArrayList<>();
        for (Row row : pool.preparedQuery("SELECT revision FROM " + schema + ".router_acknowledgement"
                + " WHERE router_id = $1 ORDER BY revision").execute(Tuple.of(router)).await().atMost(WAIT)) {
            out.add(row.getLong(0));
        }
        return out;
    }

    private boolean present(String router) {
        return pool.preparedQuery("SELECT 1 FROM " + schema + ".router_presence WHERE router_id = $1")
                .execute(Tuple.of(router)).await().atMost(WAIT).size() == 1;
    }

    @Test
    void oldAcknowledgementsGoExceptEachRoutersNewestAndGoneRoutersAreForgotten() {
        // A router alive today with a long history.
        seen("ret-live", 0);
        ack("ret-live", 10, 50);
        ack("ret-live", 11, 40);
        ack("ret-live", 12, 5);
        ack("ret-live", 13, 0);
        // A router that last acknowledged 60 days ago and was not seen since.
        seen("ret-gone", 60);
        ack("ret-gone", 9, 70);
        ack("ret-gone", 11, 60);
        // A router seen 60 days ago that never acknowledged anything.
        seen("ret-silent", 60);

        long[] deleted = repository.prune(Duration.ofDays(30)).await().atMost(WAIT);

        assertEquals(List.of(12L, 13L), revisions("ret-live"), "recent history kept, older than 30 days gone");
        assertEquals(List.of(11L), revisions("ret-gone"), "the newest acknowledgement of a router is never pruned");
        assertTrue(present("ret-live"));
        assertTrue(!present("ret-gone") && !present("ret-silent"), "routers not heard of for 30 days are forgotten");
        assertTrue(deleted[0] >= 3 && deleted[1] >= 2, () -> deleted[0] + " acks, " + deleted[1] + " routers");

        // Running it again changes nothing: replicas may prune concurrently.
        repository.prune(Duration.ofDays(30)).await().atMost(WAIT);
        assertEquals(List.of(12L, 13L), revisions("ret-live"));
        assertEquals(List.of(11L), revisions("ret-gone"));
    }
}
