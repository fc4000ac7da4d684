package dev.clearance.entitlement.domain;

import java.util.List;

/** A licence with the persons it names and its model patterns, in order. */
public record StoredLicence(LicenceEntity licence, List<String> namedPersons, List<String> modelPatterns) {
}
