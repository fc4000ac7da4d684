package dev.clearance.entitlement.domain;

import java.util.List;

/** A directive with its scope, subject codes and carve-outs, each in order. */
public record StoredDirective(DirectiveEntity directive, List<DirectiveScopeEntity> scope,
                              List<DirectiveSubjectEntity> subjects, List<DirectiveCarveOutEntity> carveOuts) {
}
