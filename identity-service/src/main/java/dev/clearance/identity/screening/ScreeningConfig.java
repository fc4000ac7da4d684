package dev.clearance.identity.screening;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Denied-party screening: {@code clearance.screening.*}. */
@ConfigMapping(prefix = "clearance.screening")
public interface ScreeningConfig {

    /**
     * The Consolidated Screening List file, CSV or JSON (by extension), as published at
     * data.trade.gov; {@code classpath:} for a bundled resource. The default is a small sample.
     */
    @WithDefault("classpath:screening/consolidated-sample.json")
    String listPath();

    /** Jaro-Winkler similarity of normalised names from which a name is a potential match. */
    @WithDefault("0.90")
    double potentialThreshold();
}
