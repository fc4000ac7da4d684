package dev.clearance.entitlement.propagation;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.net.InetAddress;
import java.util.Optional;

/** This entitlement-service process among its replicas: named in heartbeats, presence rows and acknowledgements. */
@ApplicationScoped
public class Replica {

    private final String id;

    public Replica(@ConfigProperty(name = "clearance.replica.id") Optional<String> configured) {
        this.id = configured.filter(s -> !s.isBlank()).orElseGet(Replica::defaultId);
    }

    public String id() {
        return id;
    }

    private static String defaultId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            host = "entitlement";
        }
        return host + "-" + ProcessHandle.current().pid();
    }
}
