package dev.clearance.suite;

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
import java.util.List;
import java.util.Map;

/**
 * The test's own hands on Keycloak: the bootstrap admin of the master realm (admin/admin, as
 * {@link KeycloakServer} starts it) creating users and Organizations in the clearance realm and
 * reading sessions. The service under test uses its own service account, never this.
 */
final class KeycloakAdminApi {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final String baseUrl;

    KeycloakAdminApi(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    /** Creates a user with the demo password; returns the user id. */
    String createUser(String username, String firstName, String lastName) {
        Map<String, Object> user = Map.of("username", username, "enabled", true, "firstName", firstName,
                "lastName", lastName, "email", username + "@example.test", "emailVerified", true,
                "credentials", List.of(Map.of("type", "password", "value", TokenClient.DEMO_PASSWORD,
                        "temporary", false)));
        return idFromLocation(send("POST", "/users", user, 201));
    }

    void updateUser(String userId, Map<String, Object> fields) {
        send("PUT", "/users/" + userId, fields, 204);
    }

    /** Creates an Organization; {@code country} null leaves the attribute out. Returns its id. */
    String createOrganization(String alias, String name, String country) {
        Map<String, Object> org = new java.util.HashMap<>(Map.of("name", name, "alias", alias, "enabled", true,
                "domains", List.of(Map.of("name", alias + ".test"))));
        if (country != null) {
            org.put("attributes", Map.of("country", List.of(country)));
        }
        return idFromLocation(send("POST", "/organizations", org, 201));
    }

    void addMember(String organizationId, String userId) {
        send("POST", "/organizations/" + organizationId + "/members", userId, 201);
    }

    int sessionCount(String userId) {
        try {
            return JSON.readTree(send("GET", "/users/" + userId + "/sessions", null, 200).body()).size();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private String adminToken() {
        String form = "grant_type=password&client_id=admin-cli&username=admin&password=admin";
        HttpResponse<String> r = exchange(HttpRequest.newBuilder(URI.create(baseUrl
                        + "/realms/master/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)));
        if (r.statusCode() != 200) {
            throw new IllegalStateException("master admin token: HTTP " + r.statusCode() + " " + r.body());
        }
        try {
            return JSON.readTree(r.body()).path("access_token").asText();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private HttpResponse<String> send(String method, String path, Object body, int expected) {
        HttpRequest.BodyPublisher publisher;
        try {
            publisher = body == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        HttpResponse<String> r = exchange(HttpRequest.newBuilder(URI.create(baseUrl + "/admin/realms/"
                        + KeycloakServer.REALM + path))
                .header("Authorization", "Bearer " + adminToken())
                .header("Content-Type", "application/json")
                .method(method, publisher));
        if (r.statusCode() != expected) {
            throw new IllegalStateException(method + " " + path + ": HTTP " + r.statusCode() + " " + r.body());
        }
        return r;
    }

    private HttpResponse<String> exchange(HttpRequest.Builder request) {
        try {
            return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String idFromLocation(HttpResponse<String> r) {
        String location = r.headers().firstValue("Location").orElseThrow(() -> new IllegalStateException("no Location"));
        return location.substring(location.lastIndexOf('/') + 1);
    }

    static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    static JsonNode json(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
