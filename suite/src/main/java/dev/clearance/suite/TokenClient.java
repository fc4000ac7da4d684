package dev.clearance.suite;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
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
 * Gets real access tokens from Keycloak with the resource-owner password grant. The shipped
 * realm allows it only for the demo client {@code clearance-cli}; production logins use a browser
 * flow.
 */
public final class TokenClient {

    /** Public client with the password grant and the {@code clearance-api} audience mapper. */
    public static final String CLI_CLIENT = "clearance-cli";
    /** Public client without the audience mapper: its tokens must be refused. */
    public static final String OTHER_CLIENT = "clearance-other";
    /** Password of every user in the shipped demo realm. Demo only. */
    public static final String DEMO_PASSWORD = "clearance-demo";
    /** Confidential client whose service account holds clearance-admin and clearance-compliance. */
    public static final String AUTOMATION_CLIENT = "clearance-automation";
    /** Its secret in the shipped demo realm. Demo only: a deployment sets its own. */
    public static final String AUTOMATION_DEMO_SECRET = "clearance-automation-demo-secret";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String tokenEndpoint;

    public TokenClient(String tokenEndpoint) {
        this.tokenEndpoint = tokenEndpoint;
    }

    /** An access token for a demo user through {@link #CLI_CLIENT}. */
    public String accessToken(String username) {
        return accessToken(CLI_CLIENT, username, DEMO_PASSWORD);
    }

    public String accessToken(String clientId, String username, String password) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "password");
        form.put("client_id", clientId);
        form.put("username", username);
        form.put("password", password);
        form.put("scope", "openid");
        return request(form, username + " via " + clientId);
    }

    /** A service account's access token (client-credentials grant), for scripts and the SDK. */
    public String serviceAccountToken(String clientId, String clientSecret) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "client_credentials");
        form.put("client_id", clientId);
        form.put("client_secret", clientSecret);
        return request(form, "the service account of " + clientId);
    }

    private String request(Map<String, String> form, String whom) {
        String body = form.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpRequest request = HttpRequest.newBuilder(URI.create(tokenEndpoint))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            JsonNode json = JSON.readTree(response.body());
            if (response.statusCode() != 200 || !json.hasNonNull("access_token")) {
                throw new IllegalStateException("Keycloak refused a token for " + whom
                        + ": HTTP " + response.statusCode() + " " + json.path("error") + " "
                        + json.path("error_description"));
            }
            return json.get("access_token").asText();
        } catch (IOException e) {
            throw new UncheckedIOException("could not reach Keycloak at " + tokenEndpoint, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while getting a token", e);
        }
    }
}
