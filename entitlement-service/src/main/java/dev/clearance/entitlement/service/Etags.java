package dev.clearance.entitlement.service;

import com.google.rpc.Code;
import dev.clearance.api.ApiError;
import dev.clearance.common.v1.ErrorReason;
import dev.clearance.entitlement.EntitlementErrors;

/** Etags are the row's version number as text; clients treat them as opaque. */
public final class Etags {
    private Etags() {
    }

    public static String of(long rowVersion) {
        return Long.toString(rowVersion);
    }

    /** An empty etag asks for no check; any other must equal the current one, else ABORTED. */
    public static void check(String resource, String given, long rowVersion) {
        if (given.isEmpty() || given.equals(of(rowVersion))) {
            return;
        }
        throw ApiError.of(Code.ABORTED, ErrorReason.ERROR_REASON_ETAG_MISMATCH, EntitlementErrors.DOMAIN,
                        resource + " changed since it was read (etag " + given + ", now " + of(rowVersion)
                                + "); read it again and retry")
                .put("resource", resource).put("etag", given).put("current_etag", of(rowVersion))
                .toException();
    }
}
