package dev.clearance.suite;

/**
 * Every port one running suite occupies. Two sets exist so that the end-to-end test never
 * collides with a running {@code bin/up} (nor with the 19xxx ports of the {@code @QuarkusTest}s).
 */
public record SuitePorts(int routerGrpc, int routerHttp,
                         int identityGrpc, int identityHttp,
                         int entitlementGrpc, int entitlementHttp,
                         int keycloakHttp, int keycloakManagement) {

    /** The ports of the common brief, used by {@code bin/up}. */
    public static SuitePorts defaults() {
        return new SuitePorts(9100, 8100, 9101, 8101, 9102, 8102, 8180, 9180);
    }

    /** The end-to-end test's ports: the defaults plus 20000. */
    public static SuitePorts endToEnd() {
        return defaults().offsetBy(20000);
    }

    public SuitePorts offsetBy(int offset) {
        return new SuitePorts(routerGrpc + offset, routerHttp + offset, identityGrpc + offset, identityHttp + offset,
                entitlementGrpc + offset, entitlementHttp + offset, keycloakHttp + offset, keycloakManagement + offset);
    }
}
