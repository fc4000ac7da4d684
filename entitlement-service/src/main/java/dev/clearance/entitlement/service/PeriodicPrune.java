package dev.clearance.entitlement.service;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * An idempotent delete of old rows run on a Vert.x timer: every replica prunes on its own
 * schedule, so several may run it at once, and a failed run is simply tried again at the next
 * interval (nothing depends on the rows being gone). The retention beans own what is deleted and
 * their settings; this owns the timer and the log line.
 */
public final class PeriodicPrune {

    private final Logger log;
    private final Vertx vertx;
    private final Duration interval;
    private final Supplier<Uni<long[]>> delete;
    private final String deletedFormat;
    private final String what;
    private volatile long timer = -1;

    /**
     * @param delete        deletes and answers how many rows of two kinds it deleted
     * @param deletedFormat the log line when anything was deleted, given both counts
     * @param what          what is pruned, for the warning when a run fails
     */
    public PeriodicPrune(Logger log, Vertx vertx, Duration interval, Supplier<Uni<long[]>> delete,
                         String deletedFormat, String what) {
        this.log = log;
        this.vertx = vertx;
        this.interval = interval;
        this.delete = delete;
        this.deletedFormat = deletedFormat;
        this.what = what;
    }

    public void start() {
        timer = vertx.setPeriodic(interval.toMillis(), id -> run());
    }

    public void stop() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    public void run() {
        delete.get().subscribe().with(
                deleted -> {
                    if (deleted[0] > 0 || deleted[1] > 0) {
                        log.infof(deletedFormat, deleted[0], deleted[1]);
                    }
                },
                failure -> log.warnf("could not prune %s: %s", what, failure.getMessage()));
    }
}
