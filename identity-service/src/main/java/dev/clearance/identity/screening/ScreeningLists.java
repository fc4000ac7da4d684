package dev.clearance.identity.screening;

import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The list in force: loaded at startup (the service does not start without a usable list, since
 * screening against nothing would clear everyone) and replaced atomically on reload. A file that
 * cannot be read or parsed never replaces the list in force.
 */
@ApplicationScoped
public class ScreeningLists {

    private static final Logger LOG = Logger.getLogger(ScreeningLists.class);
    private static final String CLASSPATH = "classpath:";

    private final ScreeningConfig config;
    private final Clock clock;
    private final AtomicReference<LoadedList> current = new AtomicReference<>();

    @Inject
    public ScreeningLists(ScreeningConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
    }

    void onStart(@Observes StartupEvent event) throws MalformedListException {
        LoadedList list = load();
        current.set(list);
        LOG.infof("screening list %s loaded: %d entries, %d names, version %s", list.source(), list.parties().size(),
                list.nameCount(), list.version());
    }

    public LoadedList current() {
        LoadedList list = current.get();
        if (list == null) {
            throw new IllegalStateException("no screening list loaded");
        }
        return list;
    }

    /**
     * Reads and parses on a worker thread, then comes back to the caller's Vert.x context (the
     * rescreening that follows uses reactive sessions, which must run there). Swaps only a
     * usable list in.
     */
    public Uni<LoadedList> reload() {
        Context caller = Vertx.currentContext();
        Uni<LoadedList> loaded = Uni.createFrom().item(() -> {
                    try {
                        return load();
                    } catch (MalformedListException e) {
                        throw new ListReloadFailedException(e.getMessage(), current.get());
                    }
                })
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
        if (caller != null) {
            loaded = loaded.emitOn(task -> caller.runOnContext(ignored -> task.run()));
        }
        return loaded.invoke(list -> {
            current.set(list);
            LOG.infof("screening list %s reloaded: %d entries, version %s", list.source(), list.parties().size(),
                    list.version());
        });
    }

    LoadedList load() throws MalformedListException {
        String path = config.listPath();
        byte[] content = read(path);
        List<ListedParty> parties = ScreeningListParser.parse(path, content);
        return LoadedList.of(path, sha256(content), clock.instant(), parties);
    }

    private static byte[] read(String path) throws MalformedListException {
        try {
            if (path.startsWith(CLASSPATH)) {
                String resource = path.substring(CLASSPATH.length());
                try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(resource)) {
                    if (in == null) {
                        throw new MalformedListException("cannot read " + path + ": no such resource");
                    }
                    return in.readAllBytes();
                }
            }
            return Files.readAllBytes(Path.of(path));
        } catch (IOException e) {
            throw new MalformedListException("cannot read " + path + ": " + e, e);
        }
    }

    private static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A reload that was refused; {@code inForce} is the list that stays. */
    public static class ListReloadFailedException extends RuntimeException {
        private final transient LoadedList inForce;

        public ListReloadFailedException(String problem, LoadedList inForce) {
            super(problem);
            this.inForce = inForce;
        }

        public LoadedList inForce() {
            return inForce;
        }
    }
}
