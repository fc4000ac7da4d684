package dev.clearance.entitlement.validation;

import com.google.protobuf.FieldMask;
import dev.clearance.api.ApiError;
import dev.clearance.entitlement.v1.CreateGrantRequest;
import dev.clearance.entitlement.v1.CreateLicenceRequest;
import dev.clearance.entitlement.v1.CreateProgrammeMembershipRequest;
import dev.clearance.entitlement.v1.CreateProgrammeRequest;
import dev.clearance.entitlement.v1.CreateSubscriptionRequest;
import dev.clearance.entitlement.v1.CreateTierRequest;
import dev.clearance.entitlement.v1.Grant;
import dev.clearance.entitlement.v1.Licence;
import dev.clearance.entitlement.v1.LicenceKind;

import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import static dev.clearance.entitlement.EntitlementErrors.invalid;

/** Checks tier, programme, subscription, grant and licence requests that need no stored data. */
public final class EntitlementRequests {

    static final List<String> MEMBERS = List.of("persons", "organisations");
    static final List<String> GRANTEES = List.of("persons", "organisations", "programmes");

    public static final Set<String> TIER_FIELDS = new LinkedHashSet<>(List.of("display_name", "model_patterns"));
    public static final Set<String> PROGRAMME_FIELDS = new LinkedHashSet<>(List.of("description", "model_patterns"));
    public static final Set<String> SUBSCRIPTION_FIELDS = Set.of("tier");
    public static final Set<String> GRANT_FIELDS = new LinkedHashSet<>(List.of("model_patterns", "start_time", "end_time", "reason"));
    public static final Set<String> LICENCE_FIELDS = new LinkedHashSet<>(List.of("kind", "reference", "holder",
            "named_persons", "model_patterns", "start_time", "end_time"));

    private EntitlementRequests() {
    }

    /** The id of {@code collection/{id}}; INVALID_ARGUMENT on {@code field} otherwise. */
    public static String name(String field, String name, String collection) {
        ApiError errors = invalid();
        String id = Fields.resourceId(errors, field, name, collection);
        errors.throwIfViolations();
        return id;
    }

    /** The id in an Update request's resource name, after checking the mask against {@code mutable}. */
    public static String update(String field, String name, String collection, FieldMask mask, Set<String> mutable) {
        ApiError errors = invalid();
        String id = Fields.resourceId(errors, field, name, collection);
        Fields.updateMask(errors, mask, mutable);
        errors.throwIfViolations();
        return id;
    }

    /** @return {programme id, membership id} of {@code programmes/{p}/memberships/{m}} */
    public static String[] membershipName(String field, String name) {
        String[] parts = name.split("/", -1);
        if (parts.length != 4 || !parts[0].equals("programmes") || !parts[2].equals("memberships")
                || !Fields.ID.matcher(parts[1]).matches() || !Fields.ID.matcher(parts[3]).matches()) {
            invalid().violation(field, "must be a resource name programmes/{programme}/memberships/{membership} with valid ids")
                    .throwIfViolations();
        }
        return new String[]{parts[1], parts[3]};
    }

    public static void check(CreateTierRequest r) {
        ApiError errors = invalid();
        Fields.id(errors, "tier_id", r.getTierId());
        Fields.maxLength(errors, "tier.display_name", r.getTier().getDisplayName(), 200);
        Fields.patterns(errors, "tier.model_patterns", r.getTier().getModelPatternsList(), false);
        errors.throwIfViolations();
    }

    public static void check(CreateProgrammeRequest r) {
        ApiError errors = invalid();
        Fields.id(errors, "programme_id", r.getProgrammeId());
        Fields.maxLength(errors, "programme.description", r.getProgramme().getDescription(), 2000);
        // A programme may carry no models: it can exist only to carve its members out of directives.
        Fields.patterns(errors, "programme.model_patterns", r.getProgramme().getModelPatternsList(), false);
        errors.throwIfViolations();
    }

    /** @return the programme id of the parent */
    public static String check(CreateProgrammeMembershipRequest r) {
        ApiError errors = invalid();
        String programme = Fields.resourceId(errors, "parent", r.getParent(), "programmes");
        if (Fields.required(errors, "membership.member", r.getMembership().getMember())) {
            Fields.oneOfResources(errors, "membership.member", r.getMembership().getMember(), MEMBERS);
        }
        errors.throwIfViolations();
        return programme;
    }

    /** @return the tier id */
    public static String check(CreateSubscriptionRequest r) {
        ApiError errors = invalid();
        Fields.resourceId(errors, "subscription.organisation", r.getSubscription().getOrganisation(), "organisations");
        String tier = Fields.resourceId(errors, "subscription.tier", r.getSubscription().getTier(), "tiers");
        errors.throwIfViolations();
        return tier;
    }

    public static void check(CreateGrantRequest r) {
        ApiError errors = invalid();
        Grant g = r.getGrant();
        if (Fields.required(errors, "grant.grantee", g.getGrantee())) {
            Fields.oneOfResources(errors, "grant.grantee", g.getGrantee(), GRANTEES);
        }
        Fields.patterns(errors, "grant.model_patterns", g.getModelPatternsList(), true);
        Fields.interval(errors, "grant.start_time", g.hasStartTime(), g.getStartTime(),
                "grant.end_time", g.hasEndTime(), g.getEndTime());
        Fields.maxLength(errors, "grant.reason", g.getReason(), 2000);
        errors.throwIfViolations();
    }

    public static void check(CreateLicenceRequest r) {
        ApiError errors = invalid();
        Licence l = r.getLicence();
        if (l.getKind() == LicenceKind.LICENCE_KIND_UNSPECIFIED || l.getKind() == LicenceKind.UNRECOGNIZED) {
            errors.violation("licence.kind", "is required (LICENCE or LICENCE_EXCEPTION)");
        }
        if (Fields.required(errors, "licence.reference", l.getReference())) {
            Fields.maxLength(errors, "licence.reference", l.getReference(), 200);
        }
        if (!l.getHolder().isEmpty()) {
            Fields.resourceId(errors, "licence.holder", l.getHolder(), "organisations");
        }
        if (l.getNamedPersonsCount() == 0) {
            errors.violation("licence.named_persons", "must name at least one person (persons/{id})");
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < l.getNamedPersonsCount(); i++) {
            String field = "licence.named_persons[" + i + "]";
            String person = l.getNamedPersons(i);
            if (Fields.resourceId(errors, field, person, "persons") != null && !seen.add(person)) {
                errors.violation(field, "repeats " + person);
            }
        }
        Fields.patterns(errors, "licence.model_patterns", l.getModelPatternsList(), true);
        Fields.interval(errors, "licence.start_time", l.hasStartTime(), l.getStartTime(),
                "licence.end_time", l.hasEndTime(), l.getEndTime());
        errors.throwIfViolations();
    }
}
