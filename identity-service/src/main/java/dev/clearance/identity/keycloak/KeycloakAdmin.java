package dev.clearance.identity.keycloak;

import dev.clearance.access.OidcConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.MultiMap;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.HttpResponse;
import io.vertx.mutiny.ext.web.client.WebClient;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The Keycloak admin REST API as this service uses it (read users and Organizations, log a user
 * out), over the non-blocking Vert.x client: a sync or a logout never blocks an event loop. The
 * service account's token (client credentials) is cached until shortly before it expires.
 * Every failure surfaces as {@link KeycloakUnavailableException}, with a message that names the
 * endpoint and the HTTP status but never a credential.
 */
@ApplicationScoped
public class KeycloakAdmin {

    /** Service-account users are Keycloak's plumbing, not persons. */
    private static final String SERVICE_ACCOUNT_PREFIX = "service-account-";

    private record Token(String value, Instant refreshAfter) {
    }

    private final KeycloakSyncConfig config;
    private final String serverUrl;
    private final String realm;
    private final Clock clock;
    private final WebClient client;
    private volatile Token token;

    @Inject
    public KeycloakAdmin(KeycloakSyncConfig config, OidcConfig oidc, Clock clock, Vertx vertx) {
        this.config = config;
        this.clock = clock;
        String issuer = oidc.issuer().replaceAll("/+$", "");
        int realms = issuer.lastIndexOf("/realms/");
        this.realm = realms < 0 ? issuer : issuer.substring(realms + "/realms/".length());
        this.serverUrl = config.admin().url().map(u -> u.replaceAll("/+$", ""))
                .orElse(realms < 0 ? issuer : issuer.substring(0, realms));
        this.client = WebClient.create(vertx, new WebClientOptions()
                .setConnectTimeout((int) config.admin().timeout().toMillis())
                .setFollowRedirects(false));
    }

    @PreDestroy
    void close() {
        client.close();
    }

    /** Whether a client secret is configured; without one nothing here may be called. */
    public boolean configured() {
        return config.admin().clientSecret().filter(s -> !s.isBlank()).isPresent();
    }

    public String realm() {
        return realm;
    }

    /** Users, Organizations and memberships: the whole directory, read page by page. */
    public Uni<KeycloakDirectory> directory() {
        return users().flatMap(users -> organizations().flatMap(orgs -> memberships(orgs, 0, new HashMap<>())
                .map(byUser -> new KeycloakDirectory(users, orgs, byUser))));
    }

    /** Ends every session of the user (admin API logout); a user who no longer exists counts as done. */
    public Uni<Void> logout(String userId) {
        return send(HttpMethod.POST, adminPath("/users/" + encode(userId) + "/logout"), true)
                .replaceWithVoid();
    }

    private Uni<List<KeycloakDirectory.User>> users() {
        return pages("/users?briefRepresentation=true", 0, new ArrayList<>()).map(all -> {
            List<KeycloakDirectory.User> users = new ArrayList<>();
            for (JsonObject u : all) {
                String username = u.getString("username", "");
                if (username.startsWith(SERVICE_ACCOUNT_PREFIX) || u.getString("id") == null) {
                    continue;
                }
                String name = (u.getString("firstName", "") + " " + u.getString("lastName", "")).trim();
                users.add(new KeycloakDirectory.User(u.getString("id"), username, name.isEmpty() ? username : name));
            }
            return List.copyOf(users);
        });
    }

    private Uni<List<KeycloakDirectory.Organization>> organizations() {
        return pages("/organizations?briefRepresentation=false", 0, new ArrayList<>()).map(all -> {
            List<KeycloakDirectory.Organization> orgs = new ArrayList<>();
            for (JsonObject o : all) {
                JsonObject attributes = o.getJsonObject("attributes");
                JsonArray country = attributes == null ? null : attributes.getJsonArray("country");
                orgs.add(new KeycloakDirectory.Organization(o.getString("id"), o.getString("alias", o.getString("name")),
                        o.getString("name"), country == null || country.isEmpty() ? null : country.getString(0)));
            }
            return List.copyOf(orgs);
        });
    }

    private Uni<Map<String, List<String>>> memberships(List<KeycloakDirectory.Organization> orgs, int index,
                                                       Map<String, List<String>> byUser) {
        if (index == orgs.size()) {
            Map<String, List<String>> copy = new HashMap<>();
            byUser.forEach((user, ids) -> copy.put(user, List.copyOf(ids)));
            return Uni.createFrom().item(Map.copyOf(copy));
        }
        String orgId = orgs.get(index).id();
        return pages("/organizations/" + encode(orgId) + "/members?briefRepresentation=true", 0, new ArrayList<>())
                .flatMap(members -> {
                    for (JsonObject m : members) {
                        byUser.computeIfAbsent(m.getString("id"), k -> new ArrayList<>()).add(orgId);
                    }
                    return memberships(orgs, index + 1, byUser);
                });
    }

    /** Every element of a paged admin collection ({@code first}/{@code max}). */
    private Uni<List<JsonObject>> pages(String path, int first, List<JsonObject> collected) {
        int max = config.admin().pageSize();
        String separator = path.contains("?") ? "&" : "?";
        return send(HttpMethod.GET, adminPath(path + separator + "first=" + first + "&max=" + max), false)
                .flatMap(response -> {
                    JsonArray page;
                    try {
                        page = response.bodyAsJsonArray();
                    } catch (RuntimeException e) {
                        throw new KeycloakUnavailableException("Keycloak " + stripQuery(path) + " did not answer a JSON array", e);
                    }
                    for (int i = 0; i < page.size(); i++) {
                        collected.add(page.getJsonObject(i));
                    }
                    return page.size() < max ? Uni.createFrom().item(collected) : pages(path, first + max, collected);
                });
    }

    private Uni<HttpResponse<Buffer>> send(HttpMethod method, String url, boolean notFoundIsDone) {
        return accessToken().flatMap(bearer -> client.requestAbs(method, url)
                        .timeout(config.admin().timeout().toMillis())
                        .putHeader("Authorization", "Bearer " + bearer)
                        .putHeader("Accept", "application/json")
                        .send())
                .onFailure(e -> !(e instanceof KeycloakUnavailableException))
                .transform(e -> new KeycloakUnavailableException("Keycloak admin API unreachable ("
                        + e.getClass().getSimpleName() + ": " + e.getMessage() + ")", e))
                .map(response -> {
                    int status = response.statusCode();
                    if (status == 401) {
                        token = null;   // revoked or expired early: fetch a new one next time
                    }
                    if (status / 100 != 2 && !(notFoundIsDone && status == 404)) {
                        throw new KeycloakUnavailableException("Keycloak " + method + " " + stripQuery(url)
                                + " answered HTTP " + status, null);
                    }
                    return response;
                });
    }

    private Uni<String> accessToken() {
        Token current = token;
        if (current != null && clock.instant().isBefore(current.refreshAfter())) {
            return Uni.createFrom().item(current.value());
        }
        if (!configured()) {
            return Uni.createFrom().failure(new KeycloakUnavailableException(
                    "no Keycloak admin client secret configured (clearance.keycloak.admin.client-secret)", null));
        }
        String endpoint = serverUrl + "/realms/" + encode(realm) + "/protocol/openid-connect/token";
        MultiMap form = MultiMap.caseInsensitiveMultiMap()
                .add("grant_type", "client_credentials")
                .add("client_id", config.admin().clientId())
                .add("client_secret", config.admin().clientSecret().orElseThrow());
        return client.requestAbs(HttpMethod.POST, endpoint)
                .timeout(config.admin().timeout().toMillis())
                .sendForm(form)
                .onFailure().transform(e -> new KeycloakUnavailableException("Keycloak token endpoint unreachable ("
                        + e.getClass().getSimpleName() + ": " + e.getMessage() + ")", e))
                .map(response -> {
                    if (response.statusCode() != 200) {
                        throw new KeycloakUnavailableException("Keycloak token endpoint answered HTTP "
                                + response.statusCode() + " for client " + config.admin().clientId(), null);
                    }
                    JsonObject body = response.bodyAsJsonObject();
                    long lifetime = body.getLong("expires_in", 60L);
                    // Refresh a little early so a token never expires between check and use.
                    Token fresh = new Token(body.getString("access_token"),
                            clock.instant().plusSeconds(Math.max(1, lifetime - Math.min(30, lifetime / 2))));
                    token = fresh;
                    return fresh.value();
                });
    }

    private String adminPath(String path) {
        return serverUrl + "/admin/realms/" + encode(realm) + path;
    }

    private static String stripQuery(String url) {
        int q = url.indexOf('?');
        return q < 0 ? url : url.substring(0, q);
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
