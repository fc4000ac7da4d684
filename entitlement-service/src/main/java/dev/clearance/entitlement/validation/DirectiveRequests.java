package dev.clearance.entitlement.validation;

import dev.clearance.api.ApiError;
import dev.clearance.common.v1.AssuranceLevel;
import dev.clearance.entitlement.reference.CountryGroupTable;
import dev.clearance.entitlement.v1.CarveOut;
import dev.clearance.entitlement.v1.CitizenshipMode;
import dev.clearance.entitlement.v1.CreateDirectiveRequest;
import dev.clearance.entitlement.v1.Directive;
import dev.clearance.entitlement.v1.DirectiveSubjects;
import dev.clearance.entitlement.v1.FamilyScope;
import dev.clearance.entitlement.v1.SubjectKind;

import java.util.HashSet;
import java.util.Set;

import static dev.clearance.entitlement.EntitlementErrors.invalid;

/** Checks directive requests that need no stored data (scope families and programmes are checked in the transaction). */
public final class DirectiveRequests {
    private DirectiveRequests() {
    }

    public static void check(CreateDirectiveRequest r, CountryGroupTable countryGroups) {
        ApiError errors = invalid();
        Fields.id(errors, "directive_id", r.getDirectiveId());
        Directive d = r.getDirective();
        if (Fields.required(errors, "directive.issuer", d.getIssuer())) {
            Fields.maxLength(errors, "directive.issuer", d.getIssuer(), 500);
        }
        Fields.maxLength(errors, "directive.reference", d.getReference(), 500);
        // Quoted on every denial: a directive without one cannot explain itself.
        if (Fields.required(errors, "directive.citation", d.getCitation())) {
            Fields.maxLength(errors, "directive.citation", d.getCitation(), 2000);
        }
        if (d.hasReceiveTime()) {
            Fields.timestamp(errors, "directive.receive_time", d.getReceiveTime());
        }
        Fields.interval(errors, "directive.effective_time", d.hasEffectiveTime(), d.getEffectiveTime(),
                "directive.expire_time", d.hasExpireTime(), d.getExpireTime());
        scope(errors, d);
        subjects(errors, d.getSubjects(), countryGroups);
        if (d.getMinimumAssurance() == AssuranceLevel.UNRECOGNIZED) {
            errors.violation("directive.minimum_assurance", "is not a known assurance level");
        }
        if (d.hasMaximumEvidenceAge()) {
            Fields.positiveSeconds(errors, "directive.maximum_evidence_age", d.getMaximumEvidenceAge());
        }
        carveOuts(errors, d);
        errors.throwIfViolations();
    }

    /** @return the directive id of {@code directives/{id}} */
    public static String checkName(String name) {
        ApiError errors = invalid();
        String id = Fields.resourceId(errors, "name", name, "directives");
        errors.throwIfViolations();
        return id;
    }

    private static void scope(ApiError errors, Directive d) {
        if (d.getScopeCount() == 0) {
            errors.violation("directive.scope", "must name at least one family");
        }
        Set<String> families = new HashSet<>();
        for (int i = 0; i < d.getScopeCount(); i++) {
            FamilyScope s = d.getScope(i);
            String field = "directive.scope[" + i + "]";
            String family = Fields.resourceId(errors, field + ".family", s.getFamily(), "families");
            if (family != null && !families.add(family)) {
                errors.violation(field + ".family", "repeats " + s.getFamily());
            }
            if (!s.getFromVersion().isEmpty()) {
                Fields.modelId(errors, field + ".from_version", s.getFromVersion());
            }
        }
    }

    private static void subjects(ApiError errors, DirectiveSubjects s, CountryGroupTable countryGroups) {
        SubjectKind kind = s.getKind();
        if (kind == SubjectKind.SUBJECT_KIND_UNSPECIFIED || kind == SubjectKind.UNRECOGNIZED) {
            errors.violation("directive.subjects.kind", "is required (FOREIGN_PERSONS, NON_CITIZENS or NATIONALS_OF)");
        } else if (kind == SubjectKind.SUBJECT_KIND_NATIONALS_OF) {
            if (s.getCountriesCount() == 0 && s.getCountryGroupsCount() == 0) {
                errors.violation("directive.subjects", "NATIONALS_OF must name countries or country groups");
            }
        } else if (s.getCountriesCount() > 0 || s.getCountryGroupsCount() > 0) {
            errors.violation("directive.subjects", "countries and country groups apply only to NATIONALS_OF");
        }
        for (int i = 0; i < s.getCountriesCount(); i++) {
            String country = s.getCountries(i);
            if (!Fields.COUNTRY.matcher(country).matches()) {
                errors.violation("directive.subjects.countries[" + i + "]",
                        "must be an upper-case ISO 3166-1 alpha-2 code such as CN");
            } else if (!CountryCodes.isCountry(country)) {
                errors.violation("directive.subjects.countries[" + i + "]",
                        country + " is not an ISO 3166-1 alpha-2 country code");
            }
        }
        for (int i = 0; i < s.getCountryGroupsCount(); i++) {
            if (!countryGroups.knows(s.getCountryGroups(i))) {
                errors.violation("directive.subjects.country_groups[" + i + "]",
                        "is not an EAR country group of the " + countryGroups.issueDate() + " table; known: "
                                + String.join(", ", countryGroups.groupLabels()));
            }
        }
        if (s.getCitizenshipMode() == CitizenshipMode.UNRECOGNIZED) {
            errors.violation("directive.subjects.citizenship_mode", "is not a known citizenship mode");
        }
    }

    private static void carveOuts(ApiError errors, Directive d) {
        for (int i = 0; i < d.getCarveOutsCount(); i++) {
            CarveOut c = d.getCarveOuts(i);
            String field = "directive.carve_outs[" + i + "]";
            switch (c.getExemptCase()) {
                case LICENSED_PERSONS -> {
                    if (!c.getLicensedPersons()) {
                        errors.violation(field + ".licensed_persons", "must be true when set");
                    }
                }
                case PROGRAMME -> Fields.resourceId(errors, field + ".programme", c.getProgramme(), "programmes");
                case ORGANISATION -> Fields.resourceId(errors, field + ".organisation", c.getOrganisation(), "organisations");
                case LICENCE -> Fields.resourceId(errors, field + ".licence", c.getLicence(), "licences");
                default -> errors.violation(field, "must set licensed_persons, licence, programme or organisation");
            }
        }
    }
}
