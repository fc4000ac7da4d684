package dev.clearance.sdk;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The client-credentials token provider against a tiny local HTTP server playing the token endpoint (the demo
 * realm's service-account client, clearance-automation, is for the admin APIs: its account is no Clearance person,
 * so the router would refuse it; the live test authenticates with API keys and a user's token instead).
 */
class KeycloakClientCredentialsTest {

    private HttpServer server;
    private final AtomicInteger requests = new AtomicInteger();
    private final List<String> bodies = new CopyOnWriteArrayList<>();
    private volatile int expiresIn = 300;
    private volatile int status = 200;

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/realms/clearance/protocol/openid-connect/token", exchange -> {
            int n = requests.incrementAndGet();
            bodies.add(URLDecoder.decode(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8),
                    StandardCharsets.UTF_8));
            String body = status == 200
                    ? "{\"access_token\":\"tok-" + n + "\",\"expires_in\":" + expiresIn + ",\"token_type\":\"Bearer\"}"
                    : "{\"error\":\"unauthorized_client\",\"error_description\":\"Invalid client secret\"}";
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private String realm() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/realms/clearance";
    }

    @Test
    void sendsTheClientCredentialsGrantAndCachesTheToken() {
        KeycloakClientCredentials tokens = KeycloakClientCredentials.forRealm(realm(), "batch-app", "s3cret&x");
        assertEquals("tok-1", tokens.accessToken());
        assertEquals("tok-1", tokens.accessToken());
        assertEquals(1, requests.get());
        String body = bodies.get(0);
        assertTrue(body.contains("grant_type=client_credentials"), body);
        assertTrue(body.contains("client_id=batch-app"), body);
        assertTrue(body.contains("client_secret=s3cret&x"), body);
    }

    @Test
    void fetchesANewTokenShortlyBeforeExpiry() throws Exception {
        // 4 s lifetime: refreshed after 2 s. Wide enough that the back-to-back second call is still cached on a
        // loaded machine.
        expiresIn = 4;
        KeycloakClientCredentials tokens = KeycloakClientCredentials.builder()
                .tokenEndpoint(URI.create(realm() + "/protocol/openid-connect/token"))
                .clientId("batch-app").clientSecret("s").refreshBefore(Duration.ofSeconds(30)).build();
        assertEquals("tok-1", tokens.accessToken());
        assertEquals("tok-1", tokens.accessToken(), "half the lifetime is left: still cached");
        Thread.sleep(2100);
        assertEquals("tok-2", tokens.accessToken(), "past half the lifetime: refreshed");
        assertEquals(2, requests.get());
    }

    @Test
    void aRefusalIsAnUnauthenticatedExceptionNamingTheError() {
        status = 401;
        KeycloakClientCredentials tokens = KeycloakClientCredentials.forRealm(realm(), "batch-app", "wrong");
        UnauthenticatedException e = assertThrows(UnauthenticatedException.class, tokens::accessToken);
        assertEquals("TOKEN_REFUSED", e.reason());
        assertTrue(e.getMessage().contains("unauthorized_client"), e.getMessage());
    }
}
