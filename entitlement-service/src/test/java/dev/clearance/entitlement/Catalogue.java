package dev.clearance.entitlement;

import dev.clearance.entitlement.v1.CreateModelFamilyRequest;
import dev.clearance.entitlement.v1.CreateModelVersionRequest;
import dev.clearance.entitlement.v1.EntitlementServiceGrpc;
import dev.clearance.entitlement.v1.ModelFamily;
import dev.clearance.entitlement.v1.ModelVersion;
import dev.clearance.entitlement.v1.ModelVersionStatus;

import java.util.UUID;

/** Test data through the API: every test gets its own names, so tests never see each other's rows. */
public final class Catalogue {
    private Catalogue() {
    }

    /** A short unique suffix for ids. */
    public static String unique() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    /** Creates family {@code <prefix>} with versions {@code <prefix>-1 .. <prefix>-n}, oldest first. */
    public static void family(EntitlementServiceGrpc.EntitlementServiceBlockingStub client, String prefix, int versions) {
        client.createModelFamily(CreateModelFamilyRequest.newBuilder()
                .setFamilyId(prefix)
                .setFamily(ModelFamily.newBuilder().setDisplayName(prefix).setControlled(true))
                .build());
        for (int i = 1; i <= versions; i++) {
            client.createModelVersion(CreateModelVersionRequest.newBuilder()
                    .setParent("families/" + prefix)
                    .setVersionId(prefix + "-" + i)
                    .setVersion(ModelVersion.newBuilder().setStatus(ModelVersionStatus.MODEL_VERSION_STATUS_GA))
                    .build());
        }
    }
}
