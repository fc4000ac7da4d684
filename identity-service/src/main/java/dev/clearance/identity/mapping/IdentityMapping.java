package dev.clearance.identity.mapping;

import dev.clearance.api.mapping.Timestamps;
import dev.clearance.common.v1.CallerIdentity;
import dev.clearance.common.v1.CredentialKind;
import dev.clearance.common.v1.ScreeningStatus;
import dev.clearance.identity.domain.ApiKey;
import dev.clearance.identity.domain.AssuranceLevel;
import dev.clearance.identity.domain.Citizenship;
import dev.clearance.identity.domain.DocumentClass;
import dev.clearance.identity.domain.ScreeningMatch;
import dev.clearance.identity.screening.LoadedList;
import dev.clearance.identity.domain.VerificationState;
import dev.clearance.identity.domain.ImmigrationStatus;
import dev.clearance.identity.domain.Organisation;
import dev.clearance.identity.domain.Person;
import dev.clearance.identity.domain.UsPersonStatus;
import dev.clearance.identity.domain.Verification;
import dev.clearance.identity.repository.PopulationRepository;
import dev.clearance.identity.service.ResolvedCaller;
import dev.clearance.identity.validation.ResourceIds;
import dev.clearance.identity.v1.ApiKeyState;

import java.time.Instant;
import java.util.function.Consumer;

/** Domain to proto. Requests are read by {@code validation.RequestValidation}. */
public final class IdentityMapping {

    private IdentityMapping() {
    }

    public static dev.clearance.identity.v1.Organisation toProto(Organisation o) {
        return dev.clearance.identity.v1.Organisation.newBuilder()
                .setName(ResourceIds.name(ResourceIds.ORGANISATIONS, o.id()))
                .setDisplayName(o.displayName())
                .setCountry(o.country())
                .setCreateTime(Timestamps.toTimestamp(o.createTime()))
                .setScreeningStatus(toProto(o.screeningStatus()))
                .build();
    }

    public static dev.clearance.identity.v1.Person toProto(Person p) {
        var b = dev.clearance.identity.v1.Person.newBuilder()
                .setName(ResourceIds.name(ResourceIds.PERSONS, p.id()))
                .setDisplayName(p.displayName())
                .setUsPersonStatus(toProto(p.usPersonStatus()))
                .setAssuranceLevel(toProto(p.assuranceLevel()))
                .setIdentityRevision(p.identityRevision())
                .setScreeningStatus(toProto(p.screeningStatus()))
                .setCreateTime(Timestamps.toTimestamp(p.createTime()))
                .setUpdateTime(Timestamps.toTimestamp(p.updateTime()));
        if (p.organisationId() != null) {
            b.setOrganisation(ResourceIds.name(ResourceIds.ORGANISATIONS, p.organisationId()));
        }
        if (p.subject() != null) {
            b.setSubject(p.subject());
        }
        if (p.controllingCountry() != null) {
            b.setControllingCountry(p.controllingCountry());
        }
        if (p.decidingVerificationId() != null) {
            b.setDecidingVerification(ResourceIds.verificationName(p.id(), p.decidingVerificationId()));
        }
        ifSet(p.verifyTime(), t -> b.setVerifyTime(Timestamps.toTimestamp(t)));
        p.citizenships().forEach(c -> b.addCitizenships(toProto(c)));
        return b.build();
    }

    public static dev.clearance.identity.v1.Verification toProto(Verification v) {
        var b = dev.clearance.identity.v1.Verification.newBuilder()
                .setName(ResourceIds.verificationName(v.personId(), v.id()))
                .setImmigrationStatus(toProto(v.immigrationStatus()))
                .setAssuranceLevel(toProto(v.assuranceLevel()))
                .setVerifyTime(Timestamps.toTimestamp(v.verifyTime()))
                .setDocumentClass(toProto(v.documentClass()))
                .setMethod(switch (v.method()) {
                    case VENDOR -> dev.clearance.identity.v1.VerificationMethod.VERIFICATION_METHOD_VENDOR;
                    case OFFICER -> dev.clearance.identity.v1.VerificationMethod.VERIFICATION_METHOD_OFFICER;
                })
                .setState(toProto(v.state()))
                .setCreateTime(Timestamps.toTimestamp(v.createTime()));
        ifSet(v.expireTime(), t -> b.setExpireTime(Timestamps.toTimestamp(t)));
        if (v.evidenceReference() != null) {
            b.setEvidenceReference(v.evidenceReference());
        }
        if (v.issuingCountry() != null) {
            b.setIssuingCountry(v.issuingCountry());
        }
        if (v.vendor() != null) {
            b.setVendor(switch (v.vendor()) {
                case PERSONA -> dev.clearance.identity.v1.KycVendor.KYC_VENDOR_PERSONA;
                case STRIPE_IDENTITY -> dev.clearance.identity.v1.KycVendor.KYC_VENDOR_STRIPE_IDENTITY;
                case ONFIDO -> dev.clearance.identity.v1.KycVendor.KYC_VENDOR_ONFIDO;
            });
        }
        if (v.vendorReportId() != null) {
            b.setVendorReportId(v.vendorReportId());
        }
        v.citizenships().forEach(c -> b.addCitizenships(toProto(c)));
        v.stateChanges().forEach(c -> b.addStateChanges(dev.clearance.identity.v1.VerificationStateChange.newBuilder()
                .setState(toProto(c.state()))
                .setActor(c.actor())
                .setReason(c.reason())
                .setChangeTime(Timestamps.toTimestamp(c.changeTime()))));
        return b.build();
    }

    public static ScreeningStatus toProto(dev.clearance.identity.domain.ScreeningStatus s) {
        return switch (s) {
            case CLEAR -> ScreeningStatus.SCREENING_STATUS_CLEAR;
            case POTENTIAL_MATCH -> ScreeningStatus.SCREENING_STATUS_POTENTIAL_MATCH;
            case CONFIRMED_MATCH -> ScreeningStatus.SCREENING_STATUS_CONFIRMED_MATCH;
        };
    }

    public static dev.clearance.identity.v1.ScreeningMatch toProto(ScreeningMatch m) {
        var b = dev.clearance.identity.v1.ScreeningMatch.newBuilder()
                .setName(ResourceIds.name(ResourceIds.SCREENING_MATCHES, m.id()))
                .setSubject(ResourceIds.name(m.subjectType() == ScreeningMatch.SubjectType.PERSON
                        ? ResourceIds.PERSONS : ResourceIds.ORGANISATIONS, m.subjectId()))
                .setSubjectDisplayName(m.subjectName())
                .setListEntryId(m.listEntryId())
                .setListSource(m.listSource())
                .setListedName(m.listedName())
                .addAllListedCountries(m.listedCountries())
                .setScore(m.score())
                .setStrong(m.strong())
                .setState(switch (m.state()) {
                    case OPEN -> dev.clearance.identity.v1.ScreeningMatchState.SCREENING_MATCH_STATE_OPEN;
                    case CONFIRMED -> dev.clearance.identity.v1.ScreeningMatchState.SCREENING_MATCH_STATE_CONFIRMED;
                    case CLEARED -> dev.clearance.identity.v1.ScreeningMatchState.SCREENING_MATCH_STATE_CLEARED;
                    case LAPSED -> dev.clearance.identity.v1.ScreeningMatchState.SCREENING_MATCH_STATE_LAPSED;
                })
                .setListVersion(m.listVersion())
                .setCreateTime(Timestamps.toTimestamp(m.createTime()));
        if (m.resolvedBy() != null) {
            b.setResolvedBy(m.resolvedBy());
        }
        if (m.resolutionReason() != null) {
            b.setResolutionReason(m.resolutionReason());
        }
        ifSet(m.resolveTime(), t -> b.setResolveTime(Timestamps.toTimestamp(t)));
        return b.build();
    }

    public static dev.clearance.identity.v1.ScreeningList toProto(LoadedList list) {
        return dev.clearance.identity.v1.ScreeningList.newBuilder()
                .setSource(list.source())
                .setVersion(list.version())
                .setEntryCount(list.parties().size())
                .setNameCount(list.nameCount())
                .setLoadTime(Timestamps.toTimestamp(list.loadTime()))
                .build();
    }

    public static dev.clearance.identity.v1.VerificationState toProto(VerificationState s) {
        return switch (s) {
            case VERIFIED -> dev.clearance.identity.v1.VerificationState.VERIFICATION_STATE_VERIFIED;
            case REJECTED -> dev.clearance.identity.v1.VerificationState.VERIFICATION_STATE_REJECTED;
            case EXPIRED -> dev.clearance.identity.v1.VerificationState.VERIFICATION_STATE_EXPIRED;
            case REVOKED -> dev.clearance.identity.v1.VerificationState.VERIFICATION_STATE_REVOKED;
        };
    }

    /** Null (a whole-person statement) is UNSPECIFIED. */
    public static dev.clearance.identity.v1.DocumentClass toProto(DocumentClass d) {
        if (d == null) {
            return dev.clearance.identity.v1.DocumentClass.DOCUMENT_CLASS_UNSPECIFIED;
        }
        return switch (d) {
            case PASSPORT -> dev.clearance.identity.v1.DocumentClass.DOCUMENT_CLASS_PASSPORT;
            case PASSPORT_CARD -> dev.clearance.identity.v1.DocumentClass.DOCUMENT_CLASS_PASSPORT_CARD;
            case CERTIFICATE_OF_NATURALISATION_OR_CITIZENSHIP ->
                    dev.clearance.identity.v1.DocumentClass.DOCUMENT_CLASS_CERTIFICATE_OF_NATURALISATION_OR_CITIZENSHIP;
            case PERMANENT_RESIDENT_CARD -> dev.clearance.identity.v1.DocumentClass.DOCUMENT_CLASS_PERMANENT_RESIDENT_CARD;
            case REFUGEE_TRAVEL_DOCUMENT -> dev.clearance.identity.v1.DocumentClass.DOCUMENT_CLASS_REFUGEE_TRAVEL_DOCUMENT;
            case VISA -> dev.clearance.identity.v1.DocumentClass.DOCUMENT_CLASS_VISA;
            case EMPLOYMENT_AUTHORISATION_DOCUMENT ->
                    dev.clearance.identity.v1.DocumentClass.DOCUMENT_CLASS_EMPLOYMENT_AUTHORISATION_DOCUMENT;
        };
    }

    /** A person as StreamPopulation sends them: what a decision reads, no display name or times. */
    public static dev.clearance.identity.v1.Person toProto(PopulationRepository.PersonRow p) {
        var b = dev.clearance.identity.v1.Person.newBuilder()
                .setName(ResourceIds.name(ResourceIds.PERSONS, p.id()))
                .setUsPersonStatus(toProto(p.status()))
                .setAssuranceLevel(toProto(p.assurance()))
                .setIdentityRevision(p.identityRevision())
                .setScreeningStatus(toProto(p.screening()));
        if (p.organisationId() != null) {
            b.setOrganisation(ResourceIds.name(ResourceIds.ORGANISATIONS, p.organisationId()));
        }
        if (p.controllingCountry() != null) {
            b.setControllingCountry(p.controllingCountry());
        }
        ifSet(p.verifyTime(), t -> b.setVerifyTime(Timestamps.toTimestamp(t)));
        p.citizenships().forEach(c -> b.addCitizenships(toProto(c)));
        return b.build();
    }

    public static dev.clearance.identity.v1.Organisation toProto(PopulationRepository.OrganisationRow o) {
        return dev.clearance.identity.v1.Organisation.newBuilder()
                .setName(ResourceIds.name(ResourceIds.ORGANISATIONS, o.id()))
                .setDisplayName(o.displayName())
                .setCountry(o.country())
                .setScreeningStatus(toProto(o.screening()))
                .build();
    }

    /** An active key as StreamPopulation sends it. */
    public static dev.clearance.identity.v1.ApiKey toProto(PopulationRepository.ApiKeyRow k) {
        var b = dev.clearance.identity.v1.ApiKey.newBuilder()
                .setName(ResourceIds.name(ResourceIds.API_KEYS, k.id()))
                .setOwner(k.ownerPersonId() != null
                        ? ResourceIds.name(ResourceIds.PERSONS, k.ownerPersonId())
                        : ResourceIds.name(ResourceIds.ORGANISATIONS, k.ownerOrganisationId()))
                .setDisplayName(k.displayName())
                .setPrefix(k.prefix())
                .setState(ApiKeyState.API_KEY_STATE_ACTIVE);
        ifSet(k.createTime(), t -> b.setCreateTime(Timestamps.toTimestamp(t)));
        ifSet(k.expireTime(), t -> b.setExpireTime(Timestamps.toTimestamp(t)));
        ifSet(k.lastUseTime(), t -> b.setLastUseTime(Timestamps.toTimestamp(t)));
        return b.build();
    }

    /** @param now what the state (active, expired) is judged against */
    public static dev.clearance.identity.v1.ApiKey toProto(ApiKey k, Instant now) {
        var b = dev.clearance.identity.v1.ApiKey.newBuilder()
                .setState(k.isRevoked() ? ApiKeyState.API_KEY_STATE_REVOKED
                        : k.isExpiredAt(now) ? ApiKeyState.API_KEY_STATE_EXPIRED : ApiKeyState.API_KEY_STATE_ACTIVE)
                .setName(ResourceIds.name(ResourceIds.API_KEYS, k.id()))
                .setOwner(k.isPersonKey()
                        ? ResourceIds.name(ResourceIds.PERSONS, k.ownerPersonId())
                        : ResourceIds.name(ResourceIds.ORGANISATIONS, k.ownerOrganisationId()))
                .setDisplayName(k.displayName())
                .setPrefix(k.prefix())
                .setCreateTime(Timestamps.toTimestamp(k.createTime()));
        ifSet(k.expireTime(), t -> b.setExpireTime(Timestamps.toTimestamp(t)));
        ifSet(k.revokeTime(), t -> b.setRevokeTime(Timestamps.toTimestamp(t)));
        ifSet(k.lastUseTime(), t -> b.setLastUseTime(Timestamps.toTimestamp(t)));
        ifSet(k.rotateTime(), t -> b.setRotateTime(Timestamps.toTimestamp(t)));
        if (k.previousPrefix() != null) {
            b.setPreviousPrefix(k.previousPrefix());
        }
        ifSet(k.previousSecretExpireTime(), t -> b.setPreviousSecretExpireTime(Timestamps.toTimestamp(t)));
        ifSet(k.previousSecretLastUseTime(), t -> b.setPreviousSecretLastUseTime(Timestamps.toTimestamp(t)));
        return b.build();
    }

    /**
     * Everything here is read from stored, derived data. An organisation key carries no person
     * and so no status: UNKNOWN with no assurance. Screening is the worse of the person's and
     * their organisation's.
     */
    public static CallerIdentity toProto(ResolvedCaller caller) {
        var b = CallerIdentity.newBuilder()
                .setCredentialKind(switch (caller.credentialKind()) {
                    case BEARER_TOKEN -> CredentialKind.CREDENTIAL_KIND_BEARER_TOKEN;
                    case API_KEY -> CredentialKind.CREDENTIAL_KIND_API_KEY;
                    case SUBJECT -> CredentialKind.CREDENTIAL_KIND_SUBJECT;
                })
                .setScreeningStatus(toProto(caller.screeningStatus()))
                .setUsPersonStatus(dev.clearance.common.v1.UsPersonStatus.US_PERSON_STATUS_UNKNOWN);
        if (caller.organisationId() != null) {
            b.setOrganisation(ResourceIds.name(ResourceIds.ORGANISATIONS, caller.organisationId()));
        }
        if (caller.apiKeyId() != null) {
            b.setApiKey(ResourceIds.name(ResourceIds.API_KEYS, caller.apiKeyId()));
        }
        if (caller.subject() != null) {
            b.setSubject(caller.subject());
        }
        Person p = caller.person();
        if (p != null) {
            b.setPerson(ResourceIds.name(ResourceIds.PERSONS, p.id()))
                    .setUsPersonStatus(toProto(p.usPersonStatus()))
                    .setAssuranceLevel(toProto(p.assuranceLevel()))
                    .setIdentityRevision(p.identityRevision());
            p.citizenships().stream().map(Citizenship::country).distinct().forEach(b::addCitizenships);
            if (p.controllingCountry() != null) {
                b.setControllingCountry(p.controllingCountry());
            }
            ifSet(p.verifyTime(), t -> b.setVerifyTime(Timestamps.toTimestamp(t)));
            ifSet(p.expireTime(), t -> b.setExpireTime(Timestamps.toTimestamp(t)));
        }
        return b.build();
    }

    public static dev.clearance.identity.v1.Citizenship toProto(Citizenship c) {
        var b = dev.clearance.identity.v1.Citizenship.newBuilder().setCountry(c.country());
        if (c.acquireDate() != null) {
            b.setAcquireDate(c.acquireDate().toString());
        }
        return b.build();
    }

    public static dev.clearance.common.v1.UsPersonStatus toProto(UsPersonStatus s) {
        return switch (s) {
            case UNKNOWN -> dev.clearance.common.v1.UsPersonStatus.US_PERSON_STATUS_UNKNOWN;
            case US_CITIZEN -> dev.clearance.common.v1.UsPersonStatus.US_PERSON_STATUS_US_CITIZEN;
            case LAWFUL_PERMANENT_RESIDENT -> dev.clearance.common.v1.UsPersonStatus.US_PERSON_STATUS_LAWFUL_PERMANENT_RESIDENT;
            case PROTECTED_INDIVIDUAL -> dev.clearance.common.v1.UsPersonStatus.US_PERSON_STATUS_PROTECTED_INDIVIDUAL;
            case FOREIGN_PERSON -> dev.clearance.common.v1.UsPersonStatus.US_PERSON_STATUS_FOREIGN_PERSON;
        };
    }

    /** Null (no current evidence) is UNSPECIFIED. */
    public static dev.clearance.common.v1.AssuranceLevel toProto(AssuranceLevel a) {
        if (a == null) {
            return dev.clearance.common.v1.AssuranceLevel.ASSURANCE_LEVEL_UNSPECIFIED;
        }
        return switch (a) {
            case IAL1 -> dev.clearance.common.v1.AssuranceLevel.ASSURANCE_LEVEL_IAL1;
            case IAL2 -> dev.clearance.common.v1.AssuranceLevel.ASSURANCE_LEVEL_IAL2;
            case IAL3 -> dev.clearance.common.v1.AssuranceLevel.ASSURANCE_LEVEL_IAL3;
        };
    }

    public static dev.clearance.identity.v1.ImmigrationStatus toProto(ImmigrationStatus s) {
        return switch (s) {
            case NONE -> dev.clearance.identity.v1.ImmigrationStatus.IMMIGRATION_STATUS_NONE;
            case LAWFUL_PERMANENT_RESIDENT -> dev.clearance.identity.v1.ImmigrationStatus.IMMIGRATION_STATUS_LAWFUL_PERMANENT_RESIDENT;
            case REFUGEE -> dev.clearance.identity.v1.ImmigrationStatus.IMMIGRATION_STATUS_REFUGEE;
            case ASYLEE -> dev.clearance.identity.v1.ImmigrationStatus.IMMIGRATION_STATUS_ASYLEE;
            case H1B -> dev.clearance.identity.v1.ImmigrationStatus.IMMIGRATION_STATUS_H1B;
            case STUDENT -> dev.clearance.identity.v1.ImmigrationStatus.IMMIGRATION_STATUS_STUDENT;
            case ADJUSTMENT_PENDING -> dev.clearance.identity.v1.ImmigrationStatus.IMMIGRATION_STATUS_ADJUSTMENT_PENDING;
            case OTHER_NONIMMIGRANT -> dev.clearance.identity.v1.ImmigrationStatus.IMMIGRATION_STATUS_OTHER_NONIMMIGRANT;
        };
    }

    private static void ifSet(Instant value, Consumer<Instant> setter) {
        if (value != null) {
            setter.accept(value);
        }
    }

    public static dev.clearance.identity.v1.KeycloakSyncRun toProto(dev.clearance.identity.keycloak.SyncReport r) {
        var b = dev.clearance.identity.v1.KeycloakSyncRun.newBuilder()
                .setStartTime(Timestamps.toTimestamp(r.startTime()))
                .setEndTime(Timestamps.toTimestamp(r.endTime()))
                .setUsersSeen(r.usersSeen())
                .setOrganisationsSeen(r.organisationsSeen())
                .addAllProblems(r.problems());
        for (var c : r.changes()) {
            b.addChanges(dev.clearance.identity.v1.KeycloakSyncChange.newBuilder()
                    .setResource(c.resource())
                    .setAction(switch (c.action()) {
                        case CREATED -> dev.clearance.identity.v1.KeycloakSyncAction.KEYCLOAK_SYNC_ACTION_CREATED;
                        case LINKED -> dev.clearance.identity.v1.KeycloakSyncAction.KEYCLOAK_SYNC_ACTION_LINKED;
                        case UPDATED -> dev.clearance.identity.v1.KeycloakSyncAction.KEYCLOAK_SYNC_ACTION_UPDATED;
                    })
                    .setDetail(c.detail()));
        }
        return b.build();
    }
}
