package dev.clearance.identity.validation;

import com.google.protobuf.Timestamp;
import dev.clearance.api.ApiError;
import dev.clearance.identity.ErrorDomain;
import dev.clearance.identity.domain.AssuranceLevel;
import dev.clearance.identity.domain.Citizenship;
import dev.clearance.identity.domain.ImmigrationStatus;
import dev.clearance.identity.service.NewApiKey;
import dev.clearance.identity.service.NewOrganisation;
import dev.clearance.identity.service.NewPerson;
import dev.clearance.identity.domain.DocumentClass;
import dev.clearance.identity.domain.NewEvidence;
import dev.clearance.identity.domain.VerificationMethod;
import dev.clearance.identity.domain.VerificationState;
import dev.clearance.identity.service.VerificationPosition;
import dev.clearance.identity.v1.ListApiKeysRequest;
import dev.clearance.identity.v1.StreamPopulationRequest;
import dev.clearance.identity.v1.ListVerificationsRequest;
import dev.clearance.identity.v1.RevokeVerificationRequest;
import dev.clearance.identity.v1.RotateApiKeyRequest;
import dev.clearance.identity.v1.UpdateOrganisationRequest;
import dev.clearance.identity.v1.UpdatePersonRequest;
import dev.clearance.identity.v1.CreateApiKeyRequest;
import dev.clearance.identity.v1.CreateOrganisationRequest;
import dev.clearance.identity.v1.CreatePersonRequest;
import dev.clearance.identity.v1.RecordVerificationRequest;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns requests into validated commands. Every problem is collected first and reported in one
 * INVALID_ARGUMENT with a field violation each; output-only fields are ignored (AIP-203).
 */
public final class RequestValidation {

    static final int MAX_DISPLAY_NAME = 200;
    static final int MAX_SUBJECT = 255;
    static final int MAX_EVIDENCE_REFERENCE = 500;
    static final int MAX_REASON = 1000;
    /** Caller clocks run a little ahead; a verification "now" must not be refused for that. */
    static final Duration CLOCK_TOLERANCE = Duration.ofMinutes(1);

    private RequestValidation() {
    }

    /** A validated RecordVerification request. */
    public record RecordEvidence(String personId, NewEvidence evidence) {
    }

    public static NewOrganisation newOrganisation(CreateOrganisationRequest request) {
        ApiError errors = ApiError.invalidArgument(ErrorDomain.IDENTITY);
        id("organisation_id", request.getOrganisationId(), errors);
        var o = request.getOrganisation();
        String displayName = displayName("organisation.display_name", o.getDisplayName(), true, errors);
        country("organisation.country", o.getCountry(), errors);
        errors.throwIfViolations();
        return new NewOrganisation(request.getOrganisationId(), displayName, o.getCountry());
    }

    public static NewPerson newPerson(CreatePersonRequest request) {
        ApiError errors = ApiError.invalidArgument(ErrorDomain.IDENTITY);
        id("person_id", request.getPersonId(), errors);
        var p = request.getPerson();
        String displayName = displayName("person.display_name", p.getDisplayName(), true, errors);
        String organisationId = null;
        if (!p.getOrganisation().isEmpty()) {
            organisationId = ResourceIds.parse(ResourceIds.ORGANISATIONS, p.getOrganisation()).orElse(null);
            if (organisationId == null) {
                errors.violation("person.organisation", "must be organisations/{organisation} or empty");
            }
        }
        String subject = null;
        if (!p.getSubject().isEmpty()) {
            subject = p.getSubject();
            if (subject.length() > MAX_SUBJECT || !subject.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
                errors.violation("person.subject", "must be the Keycloak user id: up to " + MAX_SUBJECT
                        + " printable ASCII characters without spaces");
            }
        }
        errors.throwIfViolations();
        return new NewPerson(request.getPersonId(), displayName, organisationId, subject);
    }

    /** A RecordVerification request as an officer's evidence, recorded by {@code actor}. */
    public static RecordEvidence newVerification(RecordVerificationRequest request, Instant now, String actor) {
        ApiError errors = ApiError.invalidArgument(ErrorDomain.IDENTITY);
        String personId = name("parent", ResourceIds.PERSONS, request.getParent(), errors);
        var v = request.getVerification();

        DocumentClass documentClass = documentClass(v.getDocumentClass(), v.getDocumentClassValue(), errors);
        String issuingCountry = v.getIssuingCountry().isEmpty() ? null : v.getIssuingCountry();
        if (documentClass != null && issuingCountry == null) {
            errors.violation("verification.issuing_country", "is required with a document class");
        } else if (issuingCountry != null) {
            if (!country("verification.issuing_country", issuingCountry, errors)) {
                issuingCountry = null;
            } else if (documentClass != null && documentClass.issuedByUsOnly() && !"US".equals(issuingCountry)) {
                errors.violation("verification.issuing_country", "a " + documentClass + " is issued by the US only");
            }
        }

        List<Citizenship> citizenships = citizenships(v.getCitizenshipsList(), now, errors);
        // With an unknown class its rules are unknown too; the class alone is reported.
        boolean classKnown = v.getDocumentClass() != dev.clearance.identity.v1.DocumentClass.UNRECOGNIZED;
        if (classKnown && documentClass == null) {
            if (v.getCitizenshipsCount() == 0) {
                errors.violation("verification.citizenships", "at least one citizenship is required");
            }
        } else if (documentClass != null && documentClass.establishesCitizenship()) {
            if (v.getCitizenshipsCount() > 1 || (v.getCitizenshipsCount() == 1 && issuingCountry != null
                    && !issuingCountry.equals(v.getCitizenships(0).getCountry()))) {
                errors.violation("verification.citizenships", "a " + documentClass + " establishes citizenship of its"
                        + " issuing country only: list that one (to give its acquire date) or none");
            } else if (citizenships.isEmpty() && issuingCountry != null) {
                citizenships = List.of(Citizenship.fromBirth(issuingCountry));
            }
        } else if (documentClass == DocumentClass.VISA && v.getCitizenshipsCount() == 0) {
            errors.violation("verification.citizenships", "a VISA shows the holder's nationality: at least one citizenship is required");
        }

        ImmigrationStatus immigration = immigrationStatus(v.getImmigrationStatus(), v.getImmigrationStatusValue(),
                documentClass, errors);
        AssuranceLevel assurance = assuranceLevel(v.getAssuranceLevel(), errors);

        Instant verifyTime = null;
        if (!v.hasVerifyTime()) {
            errors.violation("verification.verify_time", "is required");
        } else {
            verifyTime = instant("verification.verify_time", v.getVerifyTime(), errors);
            if (verifyTime != null && verifyTime.isAfter(now.plus(CLOCK_TOLERANCE))) {
                errors.violation("verification.verify_time", "must not be in the future");
            }
        }
        Instant expireTime = null;
        if (!v.hasExpireTime()) {
            // Evidence that never expires would count forever; every document and vendor check has an end.
            errors.violation("verification.expire_time", "is required");
        } else {
            expireTime = instant("verification.expire_time", v.getExpireTime(), errors);
            if (expireTime != null && verifyTime != null && !expireTime.isAfter(verifyTime)) {
                errors.violation("verification.expire_time", "must be after verify_time");
            }
        }
        String reference = v.getEvidenceReference();
        if (reference.length() > MAX_EVIDENCE_REFERENCE || hasControlCharacters(reference)) {
            errors.violation("verification.evidence_reference",
                    "must be at most " + MAX_EVIDENCE_REFERENCE + " characters without control characters");
        }
        String reason = reason("reason", request.getReason(), false, errors);
        errors.throwIfViolations();
        return new RecordEvidence(personId, new NewEvidence(documentClass, issuingCountry, citizenships, immigration,
                assurance, verifyTime, expireTime, reference.isEmpty() ? null : reference, VerificationMethod.OFFICER,
                null, null, VerificationState.VERIFIED, actor, reason));
    }

    /** A validated RevokeVerification request. */
    public record RevokeEvidence(String personId, String verificationId, String reason) {
    }

    /** Adds problems to {@code errors}; the caller throws once it has checked the rest of the call. */
    public static RevokeEvidence revokeVerification(RevokeVerificationRequest request, ApiError errors) {
        String[] ids = verificationName("name", request.getName(), errors);
        String reason = reason("reason", request.getReason(), true, errors);
        return ids == null ? null : new RevokeEvidence(ids[0], ids[1], reason);
    }

    /** Person id and verification id of a verification name given in {@code field}. */
    public static String[] verificationName(String field, String value) {
        ApiError errors = ApiError.invalidArgument(ErrorDomain.IDENTITY);
        String[] ids = verificationName(field, value, errors);
        errors.throwIfViolations();
        return ids;
    }

    public static Paging.Page verificationPage(String personId, int pageSize, String pageToken, ApiError errors) {
        String collection = ResourceIds.verificationsOf(personId == null ? "x" : personId);
        Paging.Page page = Paging.parse(collection, pageSize, pageToken, errors);
        if (page.afterId() != null && VerificationPosition.parse(page.afterId()) == null) {
            errors.violation("page_token", "is not a page token of this list; pass the next_page_token you were given");
        }
        return page;
    }

    /** A validated ListVerifications request. */
    public record VerificationList(String personId, Paging.Page page) {
    }

    public static VerificationList listVerifications(ListVerificationsRequest request) {
        ApiError errors = ApiError.invalidArgument(ErrorDomain.IDENTITY);
        String personId = name("parent", ResourceIds.PERSONS, request.getParent(), errors);
        Paging.Page page = verificationPage(personId, request.getPageSize(), request.getPageToken(), errors);
        errors.throwIfViolations();
        return new VerificationList(personId, page);
    }

    private static String[] verificationName(String field, String value, ApiError errors) {
        return ResourceIds.parseVerificationName(value).orElseGet(() -> {
            errors.violation(field, "must be persons/{person}/verifications/{verification}");
            return null;
        });
    }

    private static List<Citizenship> citizenships(List<dev.clearance.identity.v1.Citizenship> given, Instant now,
                                                  ApiError errors) {
        List<Citizenship> citizenships = new ArrayList<>();
        LocalDate today = LocalDate.ofInstant(now.plus(CLOCK_TOLERANCE), ZoneOffset.UTC);
        for (int i = 0; i < given.size(); i++) {
            var c = given.get(i);
            String field = "verification.citizenships[" + i + "]";
            boolean countryOk = country(field + ".country", c.getCountry(), errors);
            LocalDate acquired = null;
            if (!c.getAcquireDate().isEmpty()) {
                acquired = isoDate(c.getAcquireDate());
                if (acquired == null) {
                    errors.violation(field + ".acquire_date", "must be an ISO-8601 date (YYYY-MM-DD), or empty when held from birth");
                } else if (acquired.isAfter(today)) {
                    errors.violation(field + ".acquire_date", "must not be in the future");
                }
            }
            if (countryOk) {
                citizenships.add(new Citizenship(c.getCountry(), acquired));
            }
        }
        return citizenships;
    }

    private static DocumentClass documentClass(dev.clearance.identity.v1.DocumentClass value, int number, ApiError errors) {
        return switch (value) {
            case DOCUMENT_CLASS_UNSPECIFIED -> null;
            case DOCUMENT_CLASS_PASSPORT -> DocumentClass.PASSPORT;
            case DOCUMENT_CLASS_PASSPORT_CARD -> DocumentClass.PASSPORT_CARD;
            case DOCUMENT_CLASS_CERTIFICATE_OF_NATURALISATION_OR_CITIZENSHIP ->
                    DocumentClass.CERTIFICATE_OF_NATURALISATION_OR_CITIZENSHIP;
            case DOCUMENT_CLASS_PERMANENT_RESIDENT_CARD -> DocumentClass.PERMANENT_RESIDENT_CARD;
            case DOCUMENT_CLASS_REFUGEE_TRAVEL_DOCUMENT -> DocumentClass.REFUGEE_TRAVEL_DOCUMENT;
            case DOCUMENT_CLASS_VISA -> DocumentClass.VISA;
            case DOCUMENT_CLASS_EMPLOYMENT_AUTHORISATION_DOCUMENT -> DocumentClass.EMPLOYMENT_AUTHORISATION_DOCUMENT;
            case UNRECOGNIZED -> {
                errors.violation("verification.document_class", "unknown value " + number);
                yield null;
            }
        };
    }

    /** For a document, unspecified means its only possible status; a status it cannot establish is refused. */
    private static ImmigrationStatus immigrationStatus(dev.clearance.identity.v1.ImmigrationStatus value, int number,
                                                       DocumentClass documentClass, ApiError errors) {
        ImmigrationStatus given = switch (value) {
            case IMMIGRATION_STATUS_UNSPECIFIED -> null;
            case IMMIGRATION_STATUS_NONE -> ImmigrationStatus.NONE;
            case IMMIGRATION_STATUS_LAWFUL_PERMANENT_RESIDENT -> ImmigrationStatus.LAWFUL_PERMANENT_RESIDENT;
            case IMMIGRATION_STATUS_REFUGEE -> ImmigrationStatus.REFUGEE;
            case IMMIGRATION_STATUS_ASYLEE -> ImmigrationStatus.ASYLEE;
            case IMMIGRATION_STATUS_H1B -> ImmigrationStatus.H1B;
            case IMMIGRATION_STATUS_STUDENT -> ImmigrationStatus.STUDENT;
            case IMMIGRATION_STATUS_ADJUSTMENT_PENDING -> ImmigrationStatus.ADJUSTMENT_PENDING;
            case IMMIGRATION_STATUS_OTHER_NONIMMIGRANT -> ImmigrationStatus.OTHER_NONIMMIGRANT;
            case UNRECOGNIZED -> {
                errors.violation("verification.immigration_status", "unknown value " + number);
                yield ImmigrationStatus.NONE;
            }
        };
        if (documentClass == null) {
            // Not stated reads as "no US immigration status", which never makes anyone a US person.
            return given == null ? ImmigrationStatus.NONE : given;
        }
        if (given == null) {
            given = documentClass.defaultImmigrationStatus();
            if (given == null) {
                errors.violation("verification.immigration_status", "is required for a " + documentClass
                        + ": one of " + documentClass.immigrationStatuses());
                return ImmigrationStatus.NONE;
            }
        } else if (!documentClass.immigrationStatuses().contains(given)) {
            errors.violation("verification.immigration_status", "a " + documentClass + " cannot establish " + given
                    + "; one of " + documentClass.immigrationStatuses());
        }
        return given;
    }

    private static AssuranceLevel assuranceLevel(dev.clearance.common.v1.AssuranceLevel value, ApiError errors) {
        return switch (value) {
            case ASSURANCE_LEVEL_IAL1 -> AssuranceLevel.IAL1;
            case ASSURANCE_LEVEL_IAL2 -> AssuranceLevel.IAL2;
            case ASSURANCE_LEVEL_IAL3 -> AssuranceLevel.IAL3;
            case ASSURANCE_LEVEL_UNSPECIFIED, UNRECOGNIZED -> {
                errors.violation("verification.assurance_level", "must be IAL1, IAL2 or IAL3");
                yield null;
            }
        };
    }

    /** Trimmed; at most {@link #MAX_REASON} characters without control characters. */
    public static String reason(String field, String value, boolean required, ApiError errors) {
        String trimmed = value.strip();
        if (required && trimmed.isEmpty()) {
            errors.violation(field, "is required: say why, for the record");
        } else if (trimmed.length() > MAX_REASON || hasControlCharacters(trimmed)) {
            errors.violation(field, "must be at most " + MAX_REASON + " characters without control characters");
        }
        return trimmed;
    }

    public static NewApiKey newApiKey(CreateApiKeyRequest request, Instant now) {
        ApiError errors = ApiError.invalidArgument(ErrorDomain.IDENTITY);
        var k = request.getApiKey();
        String personId = ResourceIds.parse(ResourceIds.PERSONS, k.getOwner()).orElse(null);
        String organisationId = ResourceIds.parse(ResourceIds.ORGANISATIONS, k.getOwner()).orElse(null);
        if (personId == null && organisationId == null) {
            errors.violation("api_key.owner", "must be persons/{person} or organisations/{organisation}");
        }
        String displayName = displayName("api_key.display_name", k.getDisplayName(), false, errors);
        Instant expireTime = null;
        if (k.hasExpireTime()) {
            expireTime = instant("api_key.expire_time", k.getExpireTime(), errors);
            if (expireTime != null && !expireTime.isAfter(now)) {
                errors.violation("api_key.expire_time", "must be in the future");
            }
        }
        errors.throwIfViolations();
        return new NewApiKey(personId, organisationId, displayName, expireTime);
    }

    /** A validated UpdatePerson request. */
    public record PersonUpdate(String id, String displayName) {
    }

    public static PersonUpdate updatePerson(UpdatePersonRequest request) {
        ApiError errors = ApiError.invalidArgument(ErrorDomain.IDENTITY);
        String id = name("person.name", ResourceIds.PERSONS, request.getPerson().getName(), errors);
        java.util.Set<String> paths = mask(request.hasUpdateMask(), request.getUpdateMask().getPathsList(),
                java.util.Set.of("display_name"), errors);
        String displayName = null;
        if (paths.contains("display_name")) {
            displayName = displayName("person.display_name", request.getPerson().getDisplayName(), true, errors);
        }
        errors.throwIfViolations();
        return new PersonUpdate(id, displayName);
    }

    /** A validated UpdateOrganisation request; null fields are unchanged. */
    public record OrganisationUpdate(String id, String displayName, String country) {
    }

    public static OrganisationUpdate updateOrganisation(UpdateOrganisationRequest request) {
        ApiError errors = ApiError.invalidArgument(ErrorDomain.IDENTITY);
        var o = request.getOrganisation();
        String id = name("organisation.name", ResourceIds.ORGANISATIONS, o.getName(), errors);
        java.util.Set<String> paths = mask(request.hasUpdateMask(), request.getUpdateMask().getPathsList(),
                java.util.Set.of("display_name", "country"), errors);
        String displayName = null;
        String country = null;
        if (paths.contains("display_name")) {
            displayName = displayName("organisation.display_name", o.getDisplayName(), true, errors);
        }
        if (paths.contains("country") && country("organisation.country", o.getCountry(), errors)) {
            country = o.getCountry();
        }
        errors.throwIfViolations();
        return new OrganisationUpdate(id, displayName, country);
    }

    /** The mask's paths; required, and only {@code allowed} ones (no full replacement by omission). */
    private static java.util.Set<String> mask(boolean present, List<String> paths, java.util.Set<String> allowed,
                                              ApiError errors) {
        if (!present || paths.isEmpty()) {
            errors.violation("update_mask", "is required: name the fields to change, of " + allowed);
            return java.util.Set.of();
        }
        for (String path : paths) {
            if (!allowed.contains(path)) {
                errors.violation("update_mask", "cannot update '" + path + "'; updatable: " + allowed);
            }
        }
        return java.util.Set.copyOf(paths);
    }

    /** A validated RotateApiKey request; {@code previousExpireTime} null: the current secret stops now. */
    public record Rotation(String apiKeyId, Instant previousExpireTime) {
    }

    public static Rotation rotateApiKey(RotateApiKeyRequest request, Instant now, Duration maxOverlap) {
        ApiError errors = ApiError.invalidArgument(ErrorDomain.IDENTITY);
        String id = name("name", ResourceIds.API_KEYS, request.getName(), errors);
        Instant previousExpireTime = null;
        if (request.hasPreviousSecretExpireTime()) {
            previousExpireTime = instant("previous_secret_expire_time", request.getPreviousSecretExpireTime(), errors);
            if (previousExpireTime != null && previousExpireTime.isAfter(now.plus(maxOverlap))) {
                errors.violation("previous_secret_expire_time", "must be at most " + maxOverlap.toDays()
                        + " days ahead (clearance.api-keys.max-rotation-overlap)");
            }
        }
        errors.throwIfViolations();
        return new Rotation(id, previousExpireTime);
    }

    /** The id of a {@code collection/{id}} name given in {@code field}. */
    public static String resourceId(String field, String collection, String value) {
        ApiError errors = ApiError.invalidArgument(ErrorDomain.IDENTITY);
        String id = name(field, collection, value, errors);
        errors.throwIfViolations();
        return id;
    }

    /** ListApiKeys: the filters are optional; each given one must be a well-formed name. */
    public record ApiKeyList(Paging.Page page, String personId, String organisationId, boolean showRevoked) {
    }

    public static ApiKeyList listApiKeys(ListApiKeysRequest request) {
        ApiError errors = ApiError.invalidArgument(ErrorDomain.IDENTITY);
        String personId = request.getPerson().isEmpty() ? null
                : name("person", ResourceIds.PERSONS, request.getPerson(), errors);
        String organisationId = request.getOrganisation().isEmpty() ? null
                : name("organisation", ResourceIds.ORGANISATIONS, request.getOrganisation(), errors);
        Paging.Page page = Paging.parse(ResourceIds.API_KEYS, request.getPageSize(), request.getPageToken(), errors);
        errors.throwIfViolations();
        return new ApiKeyList(page, personId, organisationId, request.getShowRevoked());
    }

    /** StreamPopulation's batch size: default 5000, at most 10000 (larger values are lowered). */
    public static int populationBatch(StreamPopulationRequest request) {
        if (request.getBatchSize() < 0) {
            throw ApiError.invalidArgument(ErrorDomain.IDENTITY).violation("batch_size", "must not be negative")
                    .toException();
        }
        return request.getBatchSize() == 0 ? 5000 : Math.min(request.getBatchSize(), 10_000);
    }

    public static Paging.Page page(String collection, int pageSize, String pageToken) {
        ApiError errors = ApiError.invalidArgument(ErrorDomain.IDENTITY);
        Paging.Page page = Paging.parse(collection, pageSize, pageToken, errors);
        errors.throwIfViolations();
        return page;
    }

    private static String name(String field, String collection, String value, ApiError errors) {
        return ResourceIds.parse(collection, value).orElseGet(() -> {
            errors.violation(field, "must be " + collection + "/{id} where the id " + ResourceIds.ID_RULE);
            return null;
        });
    }

    private static void id(String field, String value, ApiError errors) {
        if (!ResourceIds.isValidId(value)) {
            errors.violation(field, ResourceIds.ID_RULE);
        }
    }

    private static String displayName(String field, String value, boolean required, ApiError errors) {
        String trimmed = value.strip();
        if (required && trimmed.isEmpty()) {
            errors.violation(field, "is required");
        } else if (trimmed.length() > MAX_DISPLAY_NAME || hasControlCharacters(trimmed)) {
            errors.violation(field, "must be at most " + MAX_DISPLAY_NAME + " characters without control characters");
        }
        return trimmed;
    }

    private static boolean country(String field, String value, ApiError errors) {
        if (!CountryCodes.isValid(value)) {
            errors.violation(field, "must be an upper-case ISO 3166-1 alpha-2 country code, for example US");
            return false;
        }
        return true;
    }

    /** Strict YYYY-MM-DD. */
    private static LocalDate isoDate(String value) {
        if (!value.matches("\\d{4}-\\d{2}-\\d{2}")) {
            return null;
        }
        try {
            return LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** Truncated to microseconds, the precision stored. */
    private static Instant instant(String field, Timestamp ts, ApiError errors) {
        if (ts.getNanos() < 0 || ts.getNanos() > 999_999_999
                || ts.getSeconds() < -62_135_596_800L || ts.getSeconds() > 253_402_300_799L) {
            errors.violation(field, "is not a valid timestamp");
            return null;
        }
        return Instant.ofEpochSecond(ts.getSeconds(), ts.getNanos()).truncatedTo(ChronoUnit.MICROS);
    }

    private static boolean hasControlCharacters(String value) {
        return value.codePoints().anyMatch(Character::isISOControl);
    }
}
