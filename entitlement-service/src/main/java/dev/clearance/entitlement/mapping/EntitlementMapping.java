package dev.clearance.entitlement.mapping;

import dev.clearance.entitlement.domain.GrantEntity;
import dev.clearance.entitlement.domain.LicenceKind;
import dev.clearance.entitlement.domain.ProgrammeMembershipEntity;
import dev.clearance.entitlement.domain.StoredGrant;
import dev.clearance.entitlement.domain.StoredLicence;
import dev.clearance.entitlement.domain.StoredProgramme;
import dev.clearance.entitlement.domain.StoredTier;
import dev.clearance.entitlement.domain.SubscriptionEntity;
import dev.clearance.entitlement.service.Etags;
import dev.clearance.entitlement.v1.Grant;
import dev.clearance.entitlement.v1.Licence;
import dev.clearance.entitlement.v1.Programme;
import dev.clearance.entitlement.v1.ProgrammeMembership;
import dev.clearance.entitlement.v1.ProgrammeMembershipEntry;
import dev.clearance.entitlement.v1.Subscription;
import dev.clearance.entitlement.v1.Tier;

import static dev.clearance.entitlement.mapping.TimeMapping.toTimestamp;

/** Tiers, programmes, memberships, subscriptions, grants and licences to the wire. */
public final class EntitlementMapping {
    private EntitlementMapping() {
    }

    public static Tier toProto(StoredTier t) {
        return Tier.newBuilder()
                .setName("tiers/" + t.tier().id)
                .setDisplayName(t.tier().displayName)
                .addAllModelPatterns(t.modelPatterns())
                .setEtag(Etags.of(t.tier().rowVersion))
                .build();
    }

    public static Programme toProto(StoredProgramme p) {
        return Programme.newBuilder()
                .setName("programmes/" + p.programme().id)
                .setDescription(p.programme().description)
                .addAllModelPatterns(p.modelPatterns())
                .setEtag(Etags.of(p.programme().rowVersion))
                .build();
    }

    public static ProgrammeMembership toProto(ProgrammeMembershipEntity m) {
        return ProgrammeMembership.newBuilder()
                .setName("programmes/" + m.programmeId + "/memberships/" + m.id)
                .setMember(m.member)
                .setEtag(Etags.of(m.rowVersion))
                .build();
    }

    public static ProgrammeMembershipEntry toEntry(ProgrammeMembershipEntity m) {
        return ProgrammeMembershipEntry.newBuilder()
                .setProgramme("programmes/" + m.programmeId)
                .setMember(m.member)
                .build();
    }

    public static Subscription toProto(SubscriptionEntity s) {
        return Subscription.newBuilder()
                .setName("subscriptions/" + s.id)
                .setOrganisation(s.organisation)
                .setTier("tiers/" + s.tierId)
                .setEtag(Etags.of(s.rowVersion))
                .build();
    }

    public static Grant toProto(StoredGrant stored) {
        GrantEntity g = stored.grant();
        Grant.Builder b = Grant.newBuilder()
                .setName("grants/" + g.id)
                .setGrantee(g.grantee)
                .addAllModelPatterns(stored.modelPatterns())
                .setReason(g.reason)
                .setEtag(Etags.of(g.rowVersion));
        if (g.startTime != null) {
            b.setStartTime(toTimestamp(g.startTime));
        }
        if (g.endTime != null) {
            b.setEndTime(toTimestamp(g.endTime));
        }
        return b.build();
    }

    public static Licence toProto(StoredLicence stored) {
        var l = stored.licence();
        Licence.Builder b = Licence.newBuilder()
                .setName("licences/" + l.id)
                .setKind(dev.clearance.entitlement.v1.LicenceKind.valueOf("LICENCE_KIND_" + l.kind.name()))
                .setReference(l.reference)
                .addAllNamedPersons(stored.namedPersons())
                .addAllModelPatterns(stored.modelPatterns())
                .setEtag(Etags.of(l.rowVersion));
        if (l.holder != null) {
            b.setHolder(l.holder);
        }
        if (l.startTime != null) {
            b.setStartTime(toTimestamp(l.startTime));
        }
        if (l.endTime != null) {
            b.setEndTime(toTimestamp(l.endTime));
        }
        return b.build();
    }

    /** For a validated kind. */
    public static LicenceKind kind(dev.clearance.entitlement.v1.LicenceKind k) {
        return LicenceKind.valueOf(k.name().substring("LICENCE_KIND_".length()));
    }
}
