package dev.clearance.entitlement.domain;

import java.util.List;

/** A programme with its model patterns in order. */
public record StoredProgramme(ProgrammeEntity programme, List<String> modelPatterns) {
}
