package dev.clearance.entitlement.reference;

import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Loads the country-group table once: the copy shipped in the jar, or a newer one an operator
 * points {@code clearance.country-groups.path} at (no release needed when the eCFR changes).
 */
@Dependent
public class CountryGroupTableProducer {

    static final String BUNDLED = "reference/ear-country-groups.json";
    private static final Logger LOG = Logger.getLogger(CountryGroupTableProducer.class);

    @Produces
    @Singleton
    CountryGroupTable countryGroupTable(
            @ConfigProperty(name = "clearance.country-groups.path") Optional<Path> path,
            @ConfigProperty(name = "clearance.embargo.excluded-regions") Optional<List<String>> excluded) {
        List<String> excludedRegions = excluded.orElse(List.of());
        CountryGroupTable table;
        String source;
        try (InputStream in = open(path)) {
            table = CountryGroupTable.read(in, excludedRegions);
            source = path.map(Path::toString).orElse("classpath:" + BUNDLED);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the EAR country-group table", e);
        }
        LOG.infof("EAR country groups issued %s loaded from %s (%d groups, %d embargoed regions)",
                table.issueDate(), source, table.groupLabels().size(), table.embargoedRegions().size());
        return table;
    }

    private static InputStream open(Optional<Path> path) throws IOException {
        if (path.isPresent()) {
            return Files.newInputStream(path.get());
        }
        InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(BUNDLED);
        if (in == null) {
            throw new IOException(BUNDLED + " is missing from the classpath");
        }
        return in;
    }
}
