package dev.clearance.suite;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.StreamSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shipped realm agrees with the scenario: same people, same subjects, tokens for clearance-api. */
class DemoRealmTest {

    private final JsonNode realm = read();
    private final Scenario scenario = Scenario.load(Scenario.defaultFile());

    private static JsonNode read() {
        try {
            return new ObjectMapper().readTree(KeycloakServer.realmFile());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private JsonNode user(String username) {
        return StreamSupport.stream(realm.get("users").spliterator(), false)
                .filter(u -> u.get("username").asText().equals(username))
                .findFirst().orElseThrow(() -> new AssertionError("no realm user " + username));
    }

    private JsonNode client(String clientId) {
        return StreamSupport.stream(realm.get("clients").spliterator(), false)
                .filter(c -> c.get("clientId").asText().equals(clientId))
                .findFirst().orElseThrow(() -> new AssertionError("no client " + clientId));
    }

    @Test
    void everyScenarioPersonIsAUserWhoseIdIsTheSubject() {
        Set<String> ids = new HashSet<>();
        for (Map.Entry<String, Scenario.Person> e : scenario.persons().entrySet()) {
            JsonNode user = user(e.getKey());
            assertEquals(e.getValue().subject(), user.get("id").asText(), e.getKey());
            assertTrue(user.get("emailVerified").asBoolean(), e.getKey());
            assertEquals(0, user.get("requiredActions").size(), e.getKey());
            assertEquals(TokenClient.DEMO_PASSWORD, user.get("credentials").get(0).get("value").asText());
            assertTrue(ids.add(user.get("id").asText()), "subjects are unique");
        }
    }

    @Test
    void theOfficerAdministersAndHandlesDirectives() {
        Set<String> roles = new HashSet<>();
        user("officer").get("realmRoles").forEach(r -> roles.add(r.asText()));
        assertTrue(roles.containsAll(Set.of("clearance-admin", "clearance-compliance")));
        assertFalse(user("alice").get("realmRoles").toString().contains("clearance-admin"));
    }

    @Test
    void onlyTheCliClientsTokensCarryTheApiAudience() {
        assertEquals("clearance", realm.get("realm").asText());
        assertEquals(300, realm.get("accessTokenLifespan").asInt());
        JsonNode cli = client(TokenClient.CLI_CLIENT);
        assertTrue(cli.get("directAccessGrantsEnabled").asBoolean());
        JsonNode mapper = cli.get("protocolMappers").get(0);
        assertEquals("oidc-audience-mapper", mapper.get("protocolMapper").asText());
        assertEquals(Suite.AUDIENCE, mapper.get("config").get("included.client.audience").asText());
        assertEquals("true", mapper.get("config").get("access.token.claim").asText());
        assertTrue(client(Suite.AUDIENCE).get("bearerOnly").asBoolean());
        assertNotNull(client(TokenClient.OTHER_CLIENT));
        assertFalse(client(TokenClient.OTHER_CLIENT).has("protocolMappers"));
        assertFalse(realm.has("clientScopes"), "Keycloak's default scopes (basic puts sub in tokens) are kept");
    }
}
