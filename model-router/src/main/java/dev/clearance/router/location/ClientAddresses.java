package dev.clearance.router.location;

import com.google.common.net.InetAddresses;
import io.grpc.Context;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import jakarta.inject.Singleton;
import jakarta.inject.Inject;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Which address a request comes from: the connection's peer, or, only when that peer is a
 * configured trusted proxy ({@code clearance.router.trusted-proxies}), the right-most address in
 * {@code X-Forwarded-For} that is not itself a trusted proxy. Entries are parsed as IP literals
 * only (never resolved); a garbage entry ends the walk and the last trusted hop is used.
 */
@Singleton
public class ClientAddresses {

    /** The client address of the current router call, put there by the credential interceptor. */
    public static final Context.Key<InetAddress> CLIENT_ADDRESS = Context.key("clearance-client-address");

    private final TrustedProxies trusted;

    @Inject
    public ClientAddresses(@ConfigProperty(name = "clearance.router.trusted-proxies") Optional<List<String>> trusted) {
        this(TrustedProxies.parse(trusted.orElse(List.of())));
    }

    public ClientAddresses(TrustedProxies trusted) {
        this.trusted = trusted;
    }

    /** The client address for this peer and these X-Forwarded-For values (all headers, in order), or null. */
    public InetAddress resolve(SocketAddress peer, Iterable<String> forwardedFor) {
        if (!(peer instanceof InetSocketAddress socket) || socket.getAddress() == null) {
            return null;
        }
        InetAddress hop = TrustedProxies.normalise(socket.getAddress());
        if (!trusted.contains(hop) || forwardedFor == null) {
            return hop;
        }
        List<String> entries = new ArrayList<>();
        for (String header : forwardedFor) {
            for (String entry : header.split(",", -1)) {
                entries.add(entry.strip());
            }
        }
        for (int i = entries.size() - 1; i >= 0; i--) {
            InetAddress address = literal(entries.get(i));
            if (address == null) {
                return hop;
            }
            hop = address;
            if (!trusted.contains(address)) {
                return address;
            }
        }
        return hop;
    }

    /** The client address the interceptor recorded for the current call, or null. */
    public static InetAddress current() {
        return CLIENT_ADDRESS.get();
    }

    private static InetAddress literal(String entry) {
        String s = entry;
        if (s.startsWith("[") && s.endsWith("]")) {
            s = s.substring(1, s.length() - 1);
        }
        if (s.isEmpty() || s.indexOf('%') >= 0 || !InetAddresses.isInetAddress(s)) {
            return null;
        }
        return TrustedProxies.normalise(InetAddresses.forString(s));
    }
}
