package dev.clearance.router.identity;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;

/** Wires the cache to the identity-service resolver with the configured TTL and bound. */
@ApplicationScoped
public class CallerDirectoryProducer {

    @Produces
    @Singleton
    CallerDirectory callerDirectory(IdentityServiceCallerResolver resolver,
                                    @ConfigProperty(name = "clearance.router.identity-cache-ttl", defaultValue = "30s")
                                    Duration ttl,
                                    @ConfigProperty(name = "clearance.router.identity-cache-size", defaultValue = "100000")
                                    long maxEntries,
                                    @ConfigProperty(name = "clearance.router.identity-max-staleness", defaultValue = "5s")
                                    Duration maxStaleness) {
        return new CallerDirectory(resolver, ttl, maxEntries, maxStaleness, System::nanoTime);
    }
}
