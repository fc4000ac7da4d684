package dev.clearance.router.mapping;

import dev.clearance.api.mapping.DecisionMapping;
import dev.clearance.policy.ModelAccess;
import dev.clearance.policy.Reason;
import dev.clearance.router.v1.ListModelsResponse;

import java.util.List;

/** Engine {@link ModelAccess} to the router's ListModels answer. */
public final class ModelAccessMapping {

    private ModelAccessMapping() {
    }

    public static ListModelsResponse toProto(List<ModelAccess> models, long policyRevision, long identityRevision) {
        ListModelsResponse.Builder response = ListModelsResponse.newBuilder()
                .setPolicyRevision(policyRevision)
                .setIdentityRevision(identityRevision);
        for (ModelAccess access : models) {
            response.addModels(toProto(access));
        }
        return response.build();
    }

    public static dev.clearance.router.v1.ModelAccess toProto(ModelAccess access) {
        dev.clearance.router.v1.ModelAccess.Builder model = dev.clearance.router.v1.ModelAccess.newBuilder()
                .setModel(access.model())
                .setFamily(nullToEmpty(access.family()))
                .setAllowed(access.allowed())
                .setFallbackModel(nullToEmpty(access.fallbackModel()));
        for (Reason reason : access.reasons()) {
            model.addReasons(DecisionMapping.toProto(reason));
        }
        return model.build();
    }

    private static String nullToEmpty(String value) {
        return value == null ? "" : value;
    }
}
