package dev.clearance.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * OAuth 2.0 against the realm (Keycloak or any OIDC provider; endpoints from its discovery document):
 * client credentials, refresh, and the device authorization grant (RFC 8628). Failures are {@link CliException}s:
 * refused → {@link ExitCodes#NOT_LOGGED_IN}, unreachable → {@link ExitCodes#UNREACHABLE}.
 */
public final class OidcClient {

    static final String DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Waits between device-flow polls; tests pass one that does not sleep. */
    public interface Sleeper {
        void sleep(Duration d) throws InterruptedException;
    }

    /** What the user must do to approve a device login. */
    public record DeviceAuthorization(String deviceCode, String userCode, String verificationUri,
                                      String verificationUriComplete, long expiresIn, long interval) {
    }

    private final String issuer;
    private final HttpClient http;
    private final Duration timeout;
    private JsonNode discovery;

    public OidcClient(String issuer) {
        this(issuer, Duration.ofSeconds(15));
    }

    public OidcClient(String issuer, Duration timeout) {
        this.issuer = issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    public Tokens clientCredentials(String clientId, String clientSecret) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "client_credentials");
        form.put("client_id", clientId);
        form.put("client_secret", clientSecret);
        return tokens(post(endpoint("token_endpoint"), form), "client " + clientId);
    }

    /**
     * The resource-owner password grant: only for demo realms that allow it (the shipped realm's
     * {@code clearance-cli}); real deployments use the device flow or a service account.
     */
    public Tokens password(String clientId, String username, String password) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "password");
        form.put("client_id", clientId);
        form.put("username", username);
        form.put("password", password);
        form.put("scope", "openid");
        return tokens(post(endpoint("token_endpoint"), form), "user " + username);
    }

    public Tokens refresh(String clientId, String refreshToken) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "refresh_token");
        form.put("client_id", clientId);
        form.put("refresh_token", refreshToken);
        return tokens(post(endpoint("token_endpoint"), form), "refresh for client " + clientId);
    }

    public DeviceAuthorization startDevice(String clientId) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("client_id", clientId);
        form.put("scope", "openid");
        Answer a = post(endpoint("device_authorization_endpoint"), form);
        if (a.status != 200 || a.body.path("device_code").asText("").isEmpty()) {
            throw refused("device login for client " + clientId, a);
        }
        JsonNode b = a.body;
        return new DeviceAuthorization(b.path("device_code").asText(), b.path("user_code").asText(),
                b.path("verification_uri").asText(), b.path("verification_uri_complete").asText(""),
                b.path("expires_in").asLong(600), Math.max(1, b.path("interval").asLong(5)));
    }

    /**
     * Polls until the user approved (tokens), denied or the code expired (both {@link ExitCodes#NOT_LOGGED_IN}).
     * Honours {@code slow_down} by adding 5 s to the interval (RFC 8628 3.5).
     */
    public Tokens pollDevice(String clientId, DeviceAuthorization device, Sleeper sleeper, PrintWriter progress) {
        long interval = device.interval();
        long waited = 0;
        while (true) {
            try {
                sleeper.sleep(Duration.ofSeconds(interval));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CliException(ExitCodes.NOT_LOGGED_IN, "interrupted while waiting for the device login");
            }
            waited += interval;
            Map<String, String> form = new LinkedHashMap<>();
            form.put("grant_type", DEVICE_GRANT);
            form.put("client_id", clientId);
            form.put("device_code", device.deviceCode());
            Answer a = post(endpoint("token_endpoint"), form);
            if (a.status == 200) {
                return tokens(a, "device login");
            }
            String error = a.body.path("error").asText("");
            switch (error) {
                case "authorization_pending" -> {
                }
                case "slow_down" -> interval += 5;
                case "access_denied" -> throw new CliException(ExitCodes.NOT_LOGGED_IN, "the device login was denied");
                case "expired_token" -> throw new CliException(ExitCodes.NOT_LOGGED_IN,
                        "the device code expired before it was approved; run clearancectl login --device again");
                default -> throw refused("device login", a);
            }
            if (waited >= device.expiresIn()) {
                throw new CliException(ExitCodes.NOT_LOGGED_IN,
                        "the device code expired before it was approved; run clearancectl login --device again");
            }
            if (progress != null) {
                progress.print('.');
                progress.flush();
            }
        }
    }

    private String endpoint(String key) {
        if (discovery == null) {
            URI uri = URI.create(issuer + "/.well-known/openid-configuration");
            HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", "application/json")
                    .GET().build();
            Answer a = send(request, uri);
            if (a.status != 200) {
                throw new CliException(ExitCodes.UNREACHABLE, "no OpenID configuration at " + uri + " (HTTP "
                        + a.status + "); is --issuer right?");
            }
            discovery = a.body;
        }
        String value = discovery.path(key).asText("");
        if (value.isEmpty()) {
            throw new CliException(ExitCodes.NOT_LOGGED_IN, "the realm " + issuer + " does not offer " + key
                    + (key.startsWith("device") ? " (the device flow is not enabled)" : ""));
        }
        return value;
    }

    private Tokens tokens(Answer a, String what) {
        String access = a.body.path("access_token").asText("");
        if (a.status != 200 || access.isEmpty()) {
            throw refused(what, a);
        }
        String refresh = a.body.path("refresh_token").asText("");
        return new Tokens(access, a.body.path("expires_in").asLong(60), refresh.isEmpty() ? null : refresh,
                a.body.path("refresh_expires_in").asLong(0));
    }

    private static CliException refused(String what, Answer a) {
        String error = a.body.path("error").asText("HTTP " + a.status);
        String description = a.body.path("error_description").asText("");
        return new CliException(ExitCodes.NOT_LOGGED_IN, "the realm refused " + what + ": " + error
                + (description.isEmpty() ? "" : " (" + description + ")"));
    }

    private record Answer(int status, JsonNode body) {
    }

    private Answer post(String endpoint, Map<String, String> form) {
        String encoded = form.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        URI uri = URI.create(endpoint);
        return send(HttpRequest.newBuilder(uri).timeout(timeout)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(encoded)).build(), uri);
    }

    private Answer send(HttpRequest request, URI uri) {
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new CliException(ExitCodes.UNREACHABLE, "cannot reach " + uri.getScheme() + "://" + uri.getAuthority()
                    + " (" + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage())
                    + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(ExitCodes.UNREACHABLE, "interrupted while calling " + uri);
        }
        JsonNode body;
        try {
            body = JSON.readTree(response.body());
        } catch (IOException e) {
            body = null;
        }
        return new Answer(response.statusCode(), body == null ? JSON.createObjectNode() : body);
    }
}
