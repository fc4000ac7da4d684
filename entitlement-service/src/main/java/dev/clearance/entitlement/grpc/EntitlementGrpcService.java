package dev.clearance.entitlement.grpc;

import dev.clearance.access.Operator;
import dev.clearance.entitlement.history.DecisionHistoryService;
import dev.clearance.entitlement.propagation.PolicyHeartbeats;
import dev.clearance.entitlement.propagation.PropagationService;
import dev.clearance.entitlement.propagation.RouterPresence;
import dev.clearance.entitlement.service.CatalogueService;
import dev.clearance.entitlement.service.ChangeLog;
import dev.clearance.entitlement.service.CheckService;
import dev.clearance.entitlement.service.CountryGroupTableService;
import dev.clearance.entitlement.service.DirectiveService;
import dev.clearance.entitlement.service.EntitlementListing;
import dev.clearance.entitlement.service.GrantService;
import dev.clearance.entitlement.domain.Officer;
import dev.clearance.entitlement.service.ImpactPreviewService;
import dev.clearance.entitlement.service.LicenceService;
import dev.clearance.entitlement.service.PolicyHolder;
import dev.clearance.entitlement.service.ProgrammeService;
import dev.clearance.entitlement.service.SubscriptionService;
import dev.clearance.entitlement.service.TierService;
import dev.clearance.entitlement.v1.*;
import dev.clearance.entitlement.validation.PropagationRequests;
import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * The gRPC face of entitlement-service: wraps use-case results in responses, nothing more.
 * Who may call what is decided before a call gets here ({@link EntitlementAccess}); the actor of a
 * write is the verified operator ({@link RequestActor}).
 */
@GrpcService
public class EntitlementGrpcService implements EntitlementService {

    private static final Logger LOG = Logger.getLogger(EntitlementGrpcService.class);

    private final CatalogueService catalogue;
    private final TierService tiers;
    private final ProgrammeService programmes;
    private final SubscriptionService subscriptions;
    private final GrantService grants;
    private final LicenceService licences;
    private final DirectiveService directives;
    private final CheckService checks;
    private final ChangeLog changes;
    private final PolicyHolder policy;
    private final PolicyHeartbeats heartbeats;
    private final RouterPresence presence;
    private final PropagationService propagation;
    private final ImpactPreviewService previews;
    private final DecisionHistoryService decisionHistory;

    public EntitlementGrpcService(CatalogueService catalogue, TierService tiers, ProgrammeService programmes,
                                  SubscriptionService subscriptions, GrantService grants, LicenceService licences,
                                  DirectiveService directives, CheckService checks, ChangeLog changes, PolicyHolder policy,
                                  PolicyHeartbeats heartbeats, RouterPresence presence,
                                  PropagationService propagation, ImpactPreviewService previews,
                                  DecisionHistoryService decisionHistory) {
        this.previews = previews;
        this.decisionHistory = decisionHistory;
        this.catalogue = catalogue;
        this.tiers = tiers;
        this.programmes = programmes;
        this.subscriptions = subscriptions;
        this.grants = grants;
        this.licences = licences;
        this.directives = directives;
        this.checks = checks;
        this.changes = changes;
        this.policy = policy;
        this.heartbeats = heartbeats;
        this.presence = presence;
        this.propagation = propagation;
    }

    @Override
    public Uni<CreateModelFamilyResponse> createModelFamily(CreateModelFamilyRequest r) {
        return call(() -> catalogue.createFamily(r, RequestActor.current()).map(f -> CreateModelFamilyResponse.newBuilder().setFamily(f).build()));
    }

    @Override
    public Uni<ListModelFamiliesResponse> listModelFamilies(ListModelFamiliesRequest r) {
        return call(() -> catalogue.listFamilies(r).map(p -> ListModelFamiliesResponse.newBuilder()
                .addAllFamilies(p.items()).setNextPageToken(p.nextPageToken()).build()));
    }

    @Override
    public Uni<CreateModelVersionResponse> createModelVersion(CreateModelVersionRequest r) {
        return call(() -> catalogue.createVersion(r, RequestActor.current()).map(v -> CreateModelVersionResponse.newBuilder().setVersion(v).build()));
    }

    @Override
    public Uni<ListModelVersionsResponse> listModelVersions(ListModelVersionsRequest r) {
        return call(() -> catalogue.listVersions(r).map(p -> ListModelVersionsResponse.newBuilder()
                .addAllVersions(p.items()).setNextPageToken(p.nextPageToken()).build()));
    }

    @Override
    public Uni<CreateModelAliasResponse> createModelAlias(CreateModelAliasRequest r) {
        return call(() -> catalogue.createAlias(r, RequestActor.current()).map(a -> CreateModelAliasResponse.newBuilder().setAlias(a).build()));
    }

    @Override
    public Uni<CreateTierResponse> createTier(CreateTierRequest r) {
        return call(() -> tiers.create(r, RequestActor.current()).map(t -> CreateTierResponse.newBuilder().setTier(t).build()));
    }

    @Override
    public Uni<ListTiersResponse> listTiers(ListTiersRequest r) {
        return call(() -> tiers.list(r).map(p -> ListTiersResponse.newBuilder()
                .addAllTiers(p.items()).setNextPageToken(p.nextPageToken()).build()));
    }

    @Override
    public Uni<CreateProgrammeResponse> createProgramme(CreateProgrammeRequest r) {
        return call(() -> programmes.create(r, RequestActor.current()).map(p -> CreateProgrammeResponse.newBuilder().setProgramme(p).build()));
    }

    @Override
    public Uni<CreateProgrammeMembershipResponse> createProgrammeMembership(CreateProgrammeMembershipRequest r) {
        return call(() -> programmes.addMember(r, RequestActor.current())
                .map(m -> CreateProgrammeMembershipResponse.newBuilder().setMembership(m).build()));
    }

    @Override
    public Uni<CreateSubscriptionResponse> createSubscription(CreateSubscriptionRequest r) {
        return call(() -> subscriptions.create(r, RequestActor.current()).map(s -> CreateSubscriptionResponse.newBuilder().setSubscription(s).build()));
    }

    @Override
    public Uni<CreateGrantResponse> createGrant(CreateGrantRequest r) {
        return call(() -> grants.create(r, RequestActor.current()).map(g -> CreateGrantResponse.newBuilder().setGrant(g).build()));
    }

    @Override
    public Uni<CreateLicenceResponse> createLicence(CreateLicenceRequest r) {
        return call(() -> licences.create(r, RequestActor.current()).map(l -> CreateLicenceResponse.newBuilder().setLicence(l).build()));
    }

    // Standard methods of the catalogue and entitlements: each delegates to its area's service.

    @Override
    public Uni<GetModelFamilyResponse> getModelFamily(GetModelFamilyRequest r) {
        return call(() -> catalogue.getFamily(r.getName()).map(x -> GetModelFamilyResponse.newBuilder().setFamily(x).build()));
    }

    @Override
    public Uni<UpdateModelFamilyResponse> updateModelFamily(UpdateModelFamilyRequest r) {
        return call(() -> catalogue.updateFamily(r, RequestActor.current()).map(x -> UpdateModelFamilyResponse.newBuilder().setFamily(x).build()));
    }

    @Override
    public Uni<DeleteModelFamilyResponse> deleteModelFamily(DeleteModelFamilyRequest r) {
        return call(() -> catalogue.deleteFamily(r, RequestActor.current()).replaceWith(DeleteModelFamilyResponse.getDefaultInstance()));
    }

    @Override
    public Uni<GetModelVersionResponse> getModelVersion(GetModelVersionRequest r) {
        return call(() -> catalogue.getVersion(r.getName()).map(x -> GetModelVersionResponse.newBuilder().setVersion(x).build()));
    }

    @Override
    public Uni<UpdateModelVersionResponse> updateModelVersion(UpdateModelVersionRequest r) {
        return call(() -> catalogue.updateVersion(r, RequestActor.current()).map(x -> UpdateModelVersionResponse.newBuilder().setVersion(x).build()));
    }

    @Override
    public Uni<DeleteModelVersionResponse> deleteModelVersion(DeleteModelVersionRequest r) {
        return call(() -> catalogue.deleteVersion(r, RequestActor.current()).replaceWith(DeleteModelVersionResponse.getDefaultInstance()));
    }

    @Override
    public Uni<GetModelAliasResponse> getModelAlias(GetModelAliasRequest r) {
        return call(() -> catalogue.getAlias(r.getName()).map(x -> GetModelAliasResponse.newBuilder().setAlias(x).build()));
    }

    @Override
    public Uni<UpdateModelAliasResponse> updateModelAlias(UpdateModelAliasRequest r) {
        return call(() -> catalogue.updateAlias(r, RequestActor.current()).map(x -> UpdateModelAliasResponse.newBuilder().setAlias(x).build()));
    }

    @Override
    public Uni<DeleteModelAliasResponse> deleteModelAlias(DeleteModelAliasRequest r) {
        return call(() -> catalogue.deleteAlias(r, RequestActor.current()).replaceWith(DeleteModelAliasResponse.getDefaultInstance()));
    }

    @Override
    public Uni<ListModelAliasesResponse> listModelAliases(ListModelAliasesRequest r) {
        return call(() -> catalogue.listAliases(r).map(p -> ListModelAliasesResponse.newBuilder()
                .addAllAliases(p.items()).setNextPageToken(p.nextPageToken()).build()));
    }

    @Override
    public Uni<GetTierResponse> getTier(GetTierRequest r) {
        return call(() -> tiers.get(r.getName()).map(x -> GetTierResponse.newBuilder().setTier(x).build()));
    }

    @Override
    public Uni<UpdateTierResponse> updateTier(UpdateTierRequest r) {
        return call(() -> tiers.update(r, RequestActor.current()).map(x -> UpdateTierResponse.newBuilder().setTier(x).build()));
    }

    @Override
    public Uni<DeleteTierResponse> deleteTier(DeleteTierRequest r) {
        return call(() -> tiers.delete(r, RequestActor.current()).replaceWith(DeleteTierResponse.getDefaultInstance()));
    }

    @Override
    public Uni<GetProgrammeResponse> getProgramme(GetProgrammeRequest r) {
        return call(() -> programmes.get(r.getName()).map(x -> GetProgrammeResponse.newBuilder().setProgramme(x).build()));
    }

    @Override
    public Uni<UpdateProgrammeResponse> updateProgramme(UpdateProgrammeRequest r) {
        return call(() -> programmes.update(r, RequestActor.current()).map(x -> UpdateProgrammeResponse.newBuilder().setProgramme(x).build()));
    }

    @Override
    public Uni<DeleteProgrammeResponse> deleteProgramme(DeleteProgrammeRequest r) {
        return call(() -> programmes.delete(r, RequestActor.current()).replaceWith(DeleteProgrammeResponse.getDefaultInstance()));
    }

    @Override
    public Uni<ListProgrammesResponse> listProgrammes(ListProgrammesRequest r) {
        return call(() -> programmes.list(r).map(p -> ListProgrammesResponse.newBuilder()
                .addAllProgrammes(p.items()).setNextPageToken(p.nextPageToken()).build()));
    }

    @Override
    public Uni<GetProgrammeMembershipResponse> getProgrammeMembership(GetProgrammeMembershipRequest r) {
        return call(() -> programmes.getMember(r.getName()).map(x -> GetProgrammeMembershipResponse.newBuilder().setMembership(x).build()));
    }

    @Override
    public Uni<DeleteProgrammeMembershipResponse> deleteProgrammeMembership(DeleteProgrammeMembershipRequest r) {
        return call(() -> programmes.removeMember(r, RequestActor.current()).replaceWith(DeleteProgrammeMembershipResponse.getDefaultInstance()));
    }

    @Override
    public Uni<ListProgrammeMembershipsResponse> listProgrammeMemberships(ListProgrammeMembershipsRequest r) {
        return call(() -> programmes.listMembers(r).map(p -> ListProgrammeMembershipsResponse.newBuilder()
                .addAllMemberships(p.items()).setNextPageToken(p.nextPageToken()).build()));
    }

    @Override
    public Uni<GetSubscriptionResponse> getSubscription(GetSubscriptionRequest r) {
        return call(() -> subscriptions.get(r.getName()).map(x -> GetSubscriptionResponse.newBuilder().setSubscription(x).build()));
    }

    @Override
    public Uni<UpdateSubscriptionResponse> updateSubscription(UpdateSubscriptionRequest r) {
        return call(() -> subscriptions.update(r, RequestActor.current()).map(x -> UpdateSubscriptionResponse.newBuilder().setSubscription(x).build()));
    }

    @Override
    public Uni<DeleteSubscriptionResponse> deleteSubscription(DeleteSubscriptionRequest r) {
        return call(() -> subscriptions.delete(r, RequestActor.current()).replaceWith(DeleteSubscriptionResponse.getDefaultInstance()));
    }

    @Override
    public Uni<ListSubscriptionsResponse> listSubscriptions(ListSubscriptionsRequest r) {
        return call(() -> subscriptions.list(r).map(p -> ListSubscriptionsResponse.newBuilder()
                .addAllSubscriptions(p.items()).setNextPageToken(p.nextPageToken()).build()));
    }

    @Override
    public Uni<GetGrantResponse> getGrant(GetGrantRequest r) {
        return call(() -> grants.get(r.getName()).map(x -> GetGrantResponse.newBuilder().setGrant(x).build()));
    }

    @Override
    public Uni<UpdateGrantResponse> updateGrant(UpdateGrantRequest r) {
        return call(() -> grants.update(r, RequestActor.current()).map(x -> UpdateGrantResponse.newBuilder().setGrant(x).build()));
    }

    @Override
    public Uni<DeleteGrantResponse> deleteGrant(DeleteGrantRequest r) {
        return call(() -> grants.delete(r, RequestActor.current()).replaceWith(DeleteGrantResponse.getDefaultInstance()));
    }

    @Override
    public Uni<ListGrantsResponse> listGrants(ListGrantsRequest r) {
        return call(() -> grants.list(r).map(p -> ListGrantsResponse.newBuilder()
                .addAllGrants(p.items()).setNextPageToken(p.nextPageToken()).build()));
    }

    @Override
    public Uni<GetLicenceResponse> getLicence(GetLicenceRequest r) {
        return call(() -> licences.get(r.getName()).map(x -> GetLicenceResponse.newBuilder().setLicence(x).build()));
    }

    @Override
    public Uni<UpdateLicenceResponse> updateLicence(UpdateLicenceRequest r) {
        return call(() -> licences.update(r, RequestActor.current()).map(x -> UpdateLicenceResponse.newBuilder().setLicence(x).build()));
    }

    @Override
    public Uni<DeleteLicenceResponse> deleteLicence(DeleteLicenceRequest r) {
        return call(() -> licences.delete(r, RequestActor.current()).replaceWith(DeleteLicenceResponse.getDefaultInstance()));
    }

    @Override
    public Uni<ListLicencesResponse> listLicences(ListLicencesRequest r) {
        return call(() -> licences.list(r).map(p -> ListLicencesResponse.newBuilder()
                .addAllLicences(p.items()).setNextPageToken(p.nextPageToken()).build()));
    }

    @Override
    public Uni<ListChangesResponse> listChanges(ListChangesRequest r) {
        return call(() -> changes.list(r).map(p -> ListChangesResponse.newBuilder()
                .addAllChanges(p.items()).setNextPageToken(p.nextPageToken()).build()));
    }

    @Override
    public Uni<CreateDirectiveResponse> createDirective(CreateDirectiveRequest r) {
        Officer by = RequestActor.officer();
        return call(() -> directives.create(r, by, Operator.current().orElse(null)).map(d -> CreateDirectiveResponse.newBuilder().setDirective(d).build()));
    }

    @Override
    public Uni<GetDirectiveResponse> getDirective(GetDirectiveRequest r) {
        return call(() -> directives.get(r.getName()).map(d -> GetDirectiveResponse.newBuilder().setDirective(d).build()));
    }

    @Override
    public Uni<ListDirectivesResponse> listDirectives(ListDirectivesRequest r) {
        return call(() -> directives.list(r).map(p -> ListDirectivesResponse.newBuilder()
                .addAllDirectives(p.items()).setNextPageToken(p.nextPageToken()).build()));
    }

    @Override
    public Uni<ListDirectiveTransitionsResponse> listDirectiveTransitions(ListDirectiveTransitionsRequest r) {
        return call(() -> directives.transitions(r.getName())
                .map(t -> ListDirectiveTransitionsResponse.newBuilder().addAllTransitions(t).build()));
    }

    @Override
    public Uni<ShadowDirectiveResponse> shadowDirective(ShadowDirectiveRequest r) {
        Officer by = RequestActor.officer();
        return call(() -> directives.shadow(r.getName(), by, r.getReason())
                .map(c -> ShadowDirectiveResponse.newBuilder()
                        .setDirective(c.directive()).setPolicyRevision(c.policyRevision()).build()));
    }

    @Override
    public Uni<EnforceDirectiveResponse> enforceDirective(EnforceDirectiveRequest r) {
        Officer by = RequestActor.officer();
        return call(() -> {
            Duration wait = PropagationRequests.propagationTimeout(r.hasPropagationTimeout(), r.getPropagationTimeout(),
                    propagation.maxWait());
            return directives.enforce(r.getName(), by, r.getReason(), r.getEmergency())
                    .chain(c -> awaitPropagation(c, wait).map(status -> {
                        EnforceDirectiveResponse.Builder response = EnforceDirectiveResponse.newBuilder()
                                .setDirective(c.directive()).setPolicyRevision(c.policyRevision());
                        return status == null ? response.build() : response.setPropagation(status).build();
                    }));
        });
    }

    @Override
    public Uni<ApproveDirectiveResponse> approveDirective(ApproveDirectiveRequest r) {
        Officer by = RequestActor.officer();
        return call(() -> {
            Duration wait = PropagationRequests.propagationTimeout(r.hasPropagationTimeout(), r.getPropagationTimeout(),
                    propagation.maxWait());
            return directives.approve(r.getName(), by, r.getReason())
                    .chain(c -> awaitPropagation(c, wait).map(status -> {
                        ApproveDirectiveResponse.Builder response = ApproveDirectiveResponse.newBuilder()
                                .setDirective(c.directive()).setPolicyRevision(c.policyRevision());
                        return status == null ? response.build() : response.setPropagation(status).build();
                    }));
        });
    }

    @Override
    public Uni<SuspendDirectiveResponse> suspendDirective(SuspendDirectiveRequest r) {
        Officer by = RequestActor.officer();
        return call(() -> directives.suspend(r.getName(), by, r.getReason())
                .map(c -> SuspendDirectiveResponse.newBuilder()
                        .setDirective(c.directive()).setPolicyRevision(c.policyRevision()).build()));
    }

    @Override
    public Uni<RevokeDirectiveResponse> revokeDirective(RevokeDirectiveRequest r) {
        Officer by = RequestActor.officer();
        return call(() -> directives.revoke(r.getName(), by, r.getReason())
                .map(c -> RevokeDirectiveResponse.newBuilder()
                        .setDirective(c.directive()).setPolicyRevision(c.policyRevision()).build()));
    }

    @Override
    public Uni<PreviewDirectiveImpactResponse> previewDirectiveImpact(PreviewDirectiveImpactRequest r) {
        Operator caller = Operator.current().orElse(null);
        return call(() -> previews.preview(r, caller));
    }

    /** The propagation of the change's revision when {@code wait} is set (null: nothing waited for). */
    private Uni<PropagationStatus> awaitPropagation(DirectiveService.Changed change, Duration wait) {
        return wait == null ? Uni.createFrom().nullItem() : propagation.await(change.policyRevision(), wait);
    }

    @Override
    public Uni<CheckResponse> check(CheckRequest r) {
        return call(() -> checks.check(r));
    }

    @Override
    public Uni<GetPolicySnapshotResponse> getPolicySnapshot(GetPolicySnapshotRequest r) {
        return call(() -> checks.currentPolicy()
                .map(p -> GetPolicySnapshotResponse.newBuilder().setSnapshot(p.proto()).build()));
    }

    @Override
    public Multi<WatchPolicyResponse> watchPolicy(WatchPolicyRequest r) {
        String routerId;
        try {
            routerId = PropagationRequests.check(r);
        } catch (RuntimeException invalid) {
            return Multi.createFrom().failure(invalid);
        }
        String router = routerId == null ? "(unnamed)" : routerId;
        if (policy.current() != null && !heartbeats.canVouch()) {
            // Its snapshot may be behind writes made through other replicas: a router must not take it as fresh.
            LOG.infof("refused router %s: this replica cannot vouch for its policy now", router);
            return Multi.createFrom().failure(heartbeats.cannotVouch());
        }
        LOG.infof("router %s watches the policy", router);
        // A replica that could not load the policy at startup tries again for its first watcher.
        Multi<dev.clearance.entitlement.v1.PolicySnapshot> snapshots = policy.current() != null
                ? policy.watch()
                : checks.currentPolicy().replaceWith(Boolean.TRUE).onFailure().recoverWithItem(Boolean.FALSE)
                        .onItem().transformToMulti(loaded -> policy.watch());
        Multi<WatchPolicyResponse> events = Multi.createBy().merging().streams(
                snapshots.map(s -> WatchPolicyResponse.newBuilder().setSnapshot(s).build()),
                heartbeats.stream().map(h -> WatchPolicyResponse.newBuilder().setHeartbeat(h).build()));
        return events
                .onSubscription().invoke(() -> presence.connected(routerId))
                .onTermination().invoke(() -> {
                    presence.disconnected(routerId);
                    LOG.infof("router %s stopped watching", router);
                });
    }

    @Override
    public Uni<AcknowledgePolicyResponse> acknowledgePolicy(AcknowledgePolicyRequest r) {
        return call(() -> propagation.acknowledge(r).replaceWith(AcknowledgePolicyResponse.getDefaultInstance()));
    }

    @Override
    public Uni<RecordDecisionCountsResponse> recordDecisionCounts(RecordDecisionCountsRequest r) {
        return call(() -> decisionHistory.record(r));
    }

    @Override
    public Uni<GetPropagationStatusResponse> getPropagationStatus(GetPropagationStatusRequest r) {
        return call(() -> {
            PropagationRequests.check(r);
            return propagation.status(r.getRevision())
                    .map(status -> GetPropagationStatusResponse.newBuilder().setStatus(status).build());
        });
    }

    // Added after the constructor's services, injected here to keep them beside their RPCs.
    @jakarta.inject.Inject
    EntitlementListing entitlementListing;
    @jakarta.inject.Inject
    CountryGroupTableService countryGroupTables;

    @Override
    public Uni<ListEntitlementsResponse> listEntitlements(ListEntitlementsRequest r) {
        return call(() -> entitlementListing.list(r));
    }

    @Override
    public Uni<LoadCountryGroupTableResponse> loadCountryGroupTable(LoadCountryGroupTableRequest r) {
        return call(() -> countryGroupTables.load(r, RequestActor.current()));
    }

    @Override
    public Uni<GetCountryGroupTableResponse> getCountryGroupTable(GetCountryGroupTableRequest r) {
        return call(() -> countryGroupTables.get(r).map(t -> GetCountryGroupTableResponse.newBuilder().setTable(t).build()));
    }

    @Override
    public Uni<ListCountryGroupTablesResponse> listCountryGroupTables(ListCountryGroupTablesRequest r) {
        return call(() -> countryGroupTables.list(r));
    }

    /** Validation failures thrown before a Uni exists travel the same error path as the rest. */
    private static <T> Uni<T> call(Supplier<Uni<T>> body) {
        return Uni.createFrom().deferred(() -> body.get());
    }
}
