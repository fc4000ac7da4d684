package dev.clearance.deploy;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A service's own configuration, read from its module's application.properties (profile keys
 * such as {@code %test.} are not the deployed configuration and are left out). The manifests
 * are checked against it: container ports, gRPC clients that must be pointed at Services.
 */
record ServiceConfig(String name, Properties properties) {

    /** The three services, by the app.kubernetes.io/name of their pods, which is also their module. */
    static final java.util.List<String> SERVICES = java.util.List.of("model-router", "identity-service", "entitlement-service");

    private static final Pattern CLIENT_HOST = Pattern.compile("quarkus\\.grpc\\.clients\\.([^.]+)\\.host");

    static Map<String, ServiceConfig> load(Path root) {
        Map<String, ServiceConfig> all = new LinkedHashMap<>();
        for (String service : SERVICES) {
            all.put(service, load(service, root.resolve(service).resolve("src/main/resources/application.properties")));
        }
        return all;
    }

    static ServiceConfig load(String service, Path file) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        p.stringPropertyNames().stream().filter(k -> k.startsWith("%")).forEach(p::remove);
        return new ServiceConfig(service, p);
    }

    /** The configured value of a key, with the environment (Quarkus' names) taking precedence. */
    String effective(String key, Map<String, String> environment) {
        String env = environment.get(envName(key));
        return env != null ? env : properties.getProperty(key);
    }

    int grpcPort(Map<String, String> environment) {
        if ("false".equals(effective("quarkus.grpc.server.use-separate-server", environment))) {
            return httpPort(environment);
        }
        return Integer.parseInt(require("quarkus.grpc.server.port", environment));
    }

    int httpPort(Map<String, String> environment) {
        return Integer.parseInt(require("quarkus.http.port", environment));
    }

    /** Names of the gRPC clients the service configures (identity, entitlement, ...). */
    java.util.Set<String> grpcClients() {
        java.util.Set<String> clients = new TreeSet<>();
        for (String key : properties.stringPropertyNames()) {
            Matcher m = CLIENT_HOST.matcher(key);
            if (m.matches()) {
                clients.add(m.group(1));
            }
        }
        return clients;
    }

    boolean usesDatabase() {
        return properties.containsKey("quarkus.datasource.reactive.url") || properties.containsKey("quarkus.datasource.jdbc.url");
    }

    private String require(String key, Map<String, String> environment) {
        String value = effective(key, environment);
        if (value == null) {
            throw new IllegalStateException(name + ": " + key + " is not configured");
        }
        return value;
    }

    /** Quarkus' environment name of a configuration key: quarkus.grpc.server.port → QUARKUS_GRPC_SERVER_PORT. */
    static String envName(String key) {
        return key.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(java.util.Locale.ROOT);
    }
}
