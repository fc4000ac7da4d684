package dev.clearance.router.service;

import com.google.rpc.ErrorInfo;
import dev.clearance.api.ApiError;
import dev.clearance.common.v1.UsPersonStatus;
import dev.clearance.router.TestSnapshots;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelGatewayTest {

    @Test
    void aDenialNamesReasonDirectiveAndCitationInMessageAndMetadata() {
        var decided = new AccessDecider().decide(TestSnapshots.scenario(9),
                TestSnapshots.person("bogdan", UsPersonStatus.US_PERSON_STATUS_FOREIGN_PERSON, "IN"), "fable-5", false);
        StatusRuntimeException e = ModelGateway.denied(decided);
        assertEquals(Status.Code.PERMISSION_DENIED, e.getStatus().getCode());
        ErrorInfo info = ApiError.errorInfo(e).orElseThrow();
        assertEquals("ACCESS_DENIED", info.getReason());
        assertEquals(RouterErrors.DOMAIN, info.getDomain());
        assertEquals(decided.decisionId(), info.getMetadataOrThrow("decision_id"));
        assertEquals("DIRECTIVE", info.getMetadataOrThrow("reason_code"));
        assertEquals("directives/bis-ed-2026-06-12", info.getMetadataOrThrow("directive"));
        assertEquals("15 CFR 734.13, 734.14", info.getMetadataOrThrow("citation"));
        assertEquals("fable-5", info.getMetadataOrThrow("model"));
        String message = e.getStatus().getDescription();
        for (String value : info.getMetadataMap().values()) {
            assertTrue(message.contains(value), "message '" + message + "' should name " + value);
        }
    }
}
