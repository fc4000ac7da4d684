package dev.clearance.identity.service;

import dev.clearance.identity.domain.Person;
import dev.clearance.identity.domain.Verification;

/** The stored verification and the person with the recomputed status. */
public record RecordedVerification(Verification verification, Person person) {
}
