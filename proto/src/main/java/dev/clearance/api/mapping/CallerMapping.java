package dev.clearance.api.mapping;

import dev.clearance.common.v1.CallerIdentity;
import dev.clearance.policy.AssuranceLevel;
import dev.clearance.policy.Caller;
import dev.clearance.policy.ScreeningStatus;
import dev.clearance.policy.UsPersonStatus;

import java.util.Set;

import static dev.clearance.api.mapping.ResourceNames.emptyToNull;
import static dev.clearance.api.mapping.Timestamps.toInstant;

/** The resolved caller, as identity-service sent it, to the engine's {@link Caller}. */
public final class CallerMapping {
    private CallerMapping() {
    }

    public static Caller toCaller(CallerIdentity id) {
        return new Caller(
                emptyToNull(id.getPerson()),
                emptyToNull(id.getOrganisation()),
                status(id.getUsPersonStatus()),
                Set.copyOf(id.getCitizenshipsList()),
                emptyToNull(id.getControllingCountry()),
                assurance(id.getAssuranceLevel()),
                id.hasVerifyTime() ? toInstant(id.getVerifyTime()) : null,
                id.hasExpireTime() ? toInstant(id.getExpireTime()) : null,
                screening(id.getScreeningStatus()),
                id.getIdentityRevision());
    }

    /** Unspecified reads as UNKNOWN: no status is never a US person (fail closed). */
    static UsPersonStatus status(dev.clearance.common.v1.UsPersonStatus s) {
        return switch (s) {
            case US_PERSON_STATUS_US_CITIZEN -> UsPersonStatus.US_CITIZEN;
            case US_PERSON_STATUS_LAWFUL_PERMANENT_RESIDENT -> UsPersonStatus.LAWFUL_PERMANENT_RESIDENT;
            case US_PERSON_STATUS_PROTECTED_INDIVIDUAL -> UsPersonStatus.PROTECTED_INDIVIDUAL;
            case US_PERSON_STATUS_FOREIGN_PERSON -> UsPersonStatus.FOREIGN_PERSON;
            default -> UsPersonStatus.UNKNOWN;
        };
    }

    static AssuranceLevel assurance(dev.clearance.common.v1.AssuranceLevel a) {
        return switch (a) {
            case ASSURANCE_LEVEL_IAL1 -> AssuranceLevel.IAL1;
            case ASSURANCE_LEVEL_IAL2 -> AssuranceLevel.IAL2;
            case ASSURANCE_LEVEL_IAL3 -> AssuranceLevel.IAL3;
            default -> AssuranceLevel.NONE;
        };
    }

    /**
     * identity-service sends the worse of the person's and their organisation's screening
     * result. Unspecified (an older identity-service) reads as CLEAR: reading it as a potential
     * match would refuse every controlled model to everyone.
     */
    static ScreeningStatus screening(dev.clearance.common.v1.ScreeningStatus s) {
        return switch (s) {
            case SCREENING_STATUS_POTENTIAL_MATCH -> ScreeningStatus.POTENTIAL_MATCH;
            case SCREENING_STATUS_CONFIRMED_MATCH -> ScreeningStatus.CONFIRMED_MATCH;
            default -> ScreeningStatus.CLEAR;
        };
    }
}
