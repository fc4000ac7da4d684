package dev.clearance.entitlement.domain;

import java.util.List;

/** A directive with its scope, subject codes and carve-outs, each in order. */
public record StoredDirective(DirectiveEntity directive, List<DirectiveScopeEntity> scope,
                              List<DirectiveSubjectEntity> subjects, List<DirectiveCarveOutEntity> carveOuts) {

    /** The EAR country-group labels its subjects name, e.g. {@code D:5}. */
    public List<String> countryGroups() {
        return subjects.stream().filter(s -> s.kind == SubjectCodeKind.COUNTRY_GROUP).map(s -> s.code).toList();
    }
}
