package dev.clearance.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Access tokens through the OAuth 2.0 client-credentials grant (a Keycloak service account, or any OIDC token
 * endpoint): POSTs {@code grant_type=client_credentials} with the client id and secret, and reuses the token
 * until {@code refreshBefore} (30 s, at most half the token's lifetime) before it expires. Thread-safe;
 * concurrent callers share one request.
 */
public final class KeycloakClientCredentials implements TokenProvider {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI tokenEndpoint;
    private final String clientId;
    private final String clientSecret;
    private final String scope;
    private final Duration refreshBefore;
    private final Duration timeout;
    private final HttpClient http;
    private String token;
    private long refreshAtNanos;

    private KeycloakClientCredentials(Builder b) {
        this.tokenEndpoint = Objects.requireNonNull(b.tokenEndpoint, "tokenEndpoint (or realm)");
        this.clientId = Objects.requireNonNull(b.clientId, "clientId");
        this.clientSecret = Objects.requireNonNull(b.clientSecret, "clientSecret");
        this.scope = b.scope;
        this.refreshBefore = b.refreshBefore;
        this.timeout = b.timeout;
        this.http = HttpClient.newBuilder().connectTimeout(b.timeout).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A realm's token endpoint, e.g. {@code forRealm("https://id.example.com/realms/clearance", id, secret)}. */
    public static KeycloakClientCredentials forRealm(String realmUrl, String clientId, String clientSecret) {
        return builder().realm(realmUrl).clientId(clientId).clientSecret(clientSecret).build();
    }

    @Override
    public synchronized String accessToken() {
        if (token != null && System.nanoTime() - refreshAtNanos < 0) {
            return token;
        }
        long requested = System.nanoTime();
        JsonNode body = fetch();
        String accessToken = body.path("access_token").asText("");
        if (accessToken.isEmpty()) {
            throw new UnauthenticatedException("TOKEN_UNAVAILABLE", "the token endpoint returned no access_token", null);
        }
        long lifetime = Duration.ofSeconds(body.path("expires_in").asLong(60)).toNanos();
        long margin = Math.min(refreshBefore.toNanos(), lifetime / 2);
        token = accessToken;
        refreshAtNanos = requested + lifetime - margin;
        return token;
    }

    private JsonNode fetch() {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "client_credentials");
        form.put("client_id", clientId);
        form.put("client_secret", clientSecret);
        if (scope != null) {
            form.put("scope", scope);
        }
        String encoded = form.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpRequest request = HttpRequest.newBuilder(tokenEndpoint)
                .timeout(timeout)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(encoded))
                .build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UnauthenticatedException("TOKEN_UNAVAILABLE",
                    "token endpoint " + tokenEndpoint + " unreachable: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnauthenticatedException("TOKEN_UNAVAILABLE", "interrupted while fetching a token", e);
        }
        JsonNode body;
        try {
            body = JSON.readTree(response.body());
        } catch (IOException e) {
            body = JSON.createObjectNode();
        }
        if (response.statusCode() != 200) {
            String error = body.path("error").asText("http " + response.statusCode());
            String description = body.path("error_description").asText("");
            throw new UnauthenticatedException("TOKEN_REFUSED", "token endpoint " + tokenEndpoint + " refused client "
                    + clientId + ": " + error + (description.isEmpty() ? "" : " (" + description + ")"), null);
        }
        return body;
    }

    public static final class Builder {
        private URI tokenEndpoint;
        private String clientId;
        private String clientSecret;
        private String scope;
        private Duration refreshBefore = Duration.ofSeconds(30);
        private Duration timeout = Duration.ofSeconds(10);

        private Builder() {
        }

        /** The realm URL; the token endpoint is {@code <realm>/protocol/openid-connect/token}. */
        public Builder realm(String realmUrl) {
            String base = realmUrl.endsWith("/") ? realmUrl.substring(0, realmUrl.length() - 1) : realmUrl;
            this.tokenEndpoint = URI.create(base + "/protocol/openid-connect/token");
            return this;
        }

        public Builder tokenEndpoint(URI tokenEndpoint) {
            this.tokenEndpoint = tokenEndpoint;
            return this;
        }

        public Builder clientId(String clientId) {
            this.clientId = clientId;
            return this;
        }

        public Builder clientSecret(String clientSecret) {
            this.clientSecret = clientSecret;
            return this;
        }

        /** Optional {@code scope} parameter. */
        public Builder scope(String scope) {
            this.scope = scope;
            return this;
        }

        /** How long before expiry a new token is fetched (default 30 s; never more than half the lifetime). */
        public Builder refreshBefore(Duration refreshBefore) {
            this.refreshBefore = refreshBefore;
            return this;
        }

        /** Connect and request timeout of the token endpoint (default 10 s). */
        public Builder timeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        public KeycloakClientCredentials build() {
            return new KeycloakClientCredentials(this);
        }
    }
}
