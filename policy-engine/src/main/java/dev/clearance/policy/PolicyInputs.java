package dev.clearance.policy;

import java.util.List;
import java.util.Map;

/**
 * The source records of a policy revision, as stored by entitlement-service and shipped to
 * routers. {@link PolicySnapshot#compile} turns them into an index for fast decisions.
 *
 * @param aliases alias to version id
 */
public record PolicyInputs(
        long revision,
        List<ModelFamily> families,
        Map<String, String> aliases,
        List<Tier> tiers,
        List<Programme> programmes,
        List<Subscription> subscriptions,
        List<Grant> grants,
        List<Licence> licences,
        List<Directive> directives,
        CountryGroups countryGroups) {

    public PolicyInputs {
        families = List.copyOf(families);
        aliases = Map.copyOf(aliases);
        tiers = List.copyOf(tiers);
        programmes = List.copyOf(programmes);
        subscriptions = List.copyOf(subscriptions);
        grants = List.copyOf(grants);
        licences = List.copyOf(licences);
        directives = List.copyOf(directives);
        countryGroups = countryGroups == null ? CountryGroups.EMPTY : countryGroups;
    }
}
