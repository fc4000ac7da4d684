package dev.clearance.router.location;

import com.maxmind.geoip2.DatabaseReader;
import com.maxmind.geoip2.model.AnonymousIpResponse;
import com.maxmind.geoip2.model.CountryResponse;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * Country and anonymiser signals of a client address from MaxMind GeoIP2 databases: a Country
 * (or City) database ({@code clearance.router.geoip.country-db}) and an Anonymous-IP database
 * ({@code clearance.router.geoip.anonymous-db}). Both are optional: without the Country database
 * the location is unknown and no embargo check is made; without the Anonymous-IP database no
 * flags are set. A configured database that cannot be opened stops the start-up.
 */
@Singleton
@Startup
public class RequestLocator {

    private static final Logger LOG = Logger.getLogger(RequestLocator.class);

    private final DatabaseReader country;
    private final DatabaseReader anonymous;

    @Inject
    public RequestLocator(@ConfigProperty(name = "clearance.router.geoip.country-db") Optional<String> countryDb,
                          @ConfigProperty(name = "clearance.router.geoip.anonymous-db") Optional<String> anonymousDb) {
        this(countryDb.filter(s -> !s.isBlank()).map(Path::of).orElse(null),
                anonymousDb.filter(s -> !s.isBlank()).map(Path::of).orElse(null));
    }

    public RequestLocator(Path countryDb, Path anonymousDb) {
        this.country = open(countryDb);
        this.anonymous = open(anonymousDb);
        if (country == null) {
            LOG.info("no GeoIP country database configured (clearance.router.geoip.country-db): "
                    + "request locations are unknown and no embargo check is made");
        }
    }

    /** No databases: every location is unknown. */
    public static RequestLocator none() {
        return new RequestLocator((Path) null, null);
    }

    public boolean enabled() {
        return country != null || anonymous != null;
    }

    /** Where this address is; {@link Location#UNKNOWN} for null, unlisted or failed lookups. */
    public Location locate(InetAddress address) {
        if (address == null || !enabled()) {
            return Location.UNKNOWN;
        }
        String iso = null;
        if (country != null) {
            try {
                iso = country.tryCountry(address).map(CountryResponse::getCountry)
                        .map(c -> c.getIsoCode()).map(c -> c.toUpperCase(Locale.ROOT)).orElse(null);
            } catch (Exception e) {
                // The exception type only: GeoIP messages quote the client address (personal data).
                LOG.debugf("GeoIP country lookup failed: %s", e.getClass().getSimpleName());
            }
        }
        AnonymousIpResponse a = null;
        if (anonymous != null) {
            try {
                a = anonymous.tryAnonymousIp(address).orElse(null);
            } catch (Exception e) {
                LOG.debugf("GeoIP anonymous-IP lookup failed: %s", e.getClass().getSimpleName());
            }
        }
        if (a == null) {
            return iso == null ? Location.UNKNOWN : new Location(iso, false, false, false, false, false);
        }
        return new Location(iso, a.isAnonymousVpn(), a.isHostingProvider(), a.isPublicProxy(), a.isTorExitNode(),
                a.isAnonymous());
    }

    @PreDestroy
    void close() {
        for (DatabaseReader reader : new DatabaseReader[] {country, anonymous}) {
            if (reader != null) {
                try {
                    reader.close();
                } catch (IOException ignored) {
                    // closing a read-only database
                }
            }
        }
    }

    private static DatabaseReader open(Path path) {
        if (path == null) {
            return null;
        }
        try {
            return new DatabaseReader.Builder(path.toFile()).build();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open GeoIP database " + path, e);
        }
    }
}
