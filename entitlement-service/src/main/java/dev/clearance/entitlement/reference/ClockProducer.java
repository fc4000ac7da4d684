package dev.clearance.entitlement.reference;

import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.time.Clock;

/**
 * The clock that decides which dated country-group table is due: the system's, in UTC. A bean
 * rather than a static call so a test can move "today" to a table's effective date.
 */
@Dependent
public class ClockProducer {

    @Produces
    @Singleton
    @DefaultBean
    Clock clock() {
        return Clock.systemUTC();
    }
}
