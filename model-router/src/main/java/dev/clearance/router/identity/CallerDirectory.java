package dev.clearance.router.identity;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import dev.clearance.common.v1.CallerIdentity;
import dev.clearance.router.auth.Credential;
import io.smallrye.mutiny.Uni;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * Who a credential belongs to, asked of identity-service and remembered briefly so a busy
 * caller costs one resolution per TTL, not one per request; a cached identity costs no I/O.
 *
 * <p>Keys are SHA-256 fingerprints of the credential, never the secret. Concurrent misses
 * for one credential share one resolution. Failures are never cached: the next request asks
 * again.
 *
 * <p>Eviction on change: a reverse index maps each person, organisation and API key name to the
 * cache keys whose identity names it, so {@link #evictPerson}, {@link #evictOrganisation} and
 * {@link #evictApiKey} drop exactly those entries (an organisation drops its members' and its
 * organisation keys' entries). The index is cleaned by the cache's removal listener, so it is
 * bounded with the cache. A resolution that was in flight while any eviction happened is
 * answered but not cached (it may have read the state from before the change).
 *
 * <p>Staleness: while the change stream is not connected ({@link #changeStreamConnected}),
 * entries older than {@code maxStaleness} are treated as expired and resolved again, so no
 * decision uses an identity older than that bound without a change stream vouching for it.
 * When the stream (re)connects, every entry is dropped: changes during the outage were missed.
 */
public final class CallerDirectory {

    private record Entry(CallerIdentity identity, long resolvedAtNanos) {
    }

    /** Why cached callers left the cache (metrics). */
    public enum EvictionCause {
        /** An identity change, or the change stream reconnecting. */
        CHANGE("change"),
        /** TTL, or older than the staleness bound while the change stream is down. */
        EXPIRED("expired"),
        /** The cache's size bound. */
        SIZE("size");

        private final String label;

        EvictionCause(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    private final CallerResolver resolver;
    private final Cache<String, Entry> resolved;
    // Resolutions under way; bounded by concurrency, each ends within the identity deadline.
    private final ConcurrentMap<String, CompletableFuture<CallerIdentity>> inFlight = new ConcurrentHashMap<>();
    // "p:persons/x", "o:organisations/y", "k:apiKeys/z" → cache keys.
    private final ConcurrentMap<String, Set<String>> index = new ConcurrentHashMap<>();
    private final AtomicLong evictions = new AtomicLong();
    // Counters for metrics only (LongAdder: no contention on the request path).
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();
    private final LongAdder[] evicted = {new LongAdder(), new LongAdder(), new LongAdder()};
    private final long maxStalenessNanos;
    private final LongSupplier nanoClock;
    private volatile boolean connected = true;

    public CallerDirectory(CallerResolver resolver, Duration ttl, long maxEntries) {
        this(resolver, ttl, maxEntries, Duration.ofSeconds(5), System::nanoTime);
    }

    public CallerDirectory(CallerResolver resolver, Duration ttl, long maxEntries, Duration maxStaleness,
                           LongSupplier nanoClock) {
        this.resolver = Objects.requireNonNull(resolver, "resolver");
        this.maxStalenessNanos = maxStaleness.toNanos();
        this.nanoClock = nanoClock;
        this.resolved = Caffeine.newBuilder()
                .expireAfterWrite(ttl)
                .maximumSize(maxEntries)
                // Synchronous, so the index never outlives the entry by more than the call.
                .executor(Runnable::run)
                .<String, Entry>removalListener((key, entry, cause) -> {
                    if (key != null && entry != null) {
                        unindex(key, entry.identity());
                    }
                    countEviction(cause, entry);
                })
                .build();
    }

    /**
     * The identity held for this credential, or null when none is (or it is too stale): no I/O, no
     * pipeline. Counts a hit; a miss is counted by the {@link #resolve} that follows.
     */
    public CallerIdentity cached(Credential credential) {
        return cached(credential.fingerprint());
    }

    private CallerIdentity cached(String key) {
        Entry hit = resolved.getIfPresent(key);
        if (hit == null) {
            return null;
        }
        if (tooStale(hit)) {
            resolved.asMap().remove(key, hit);
            return null;
        }
        hits.increment();
        return hit.identity();
    }

    public Uni<CallerIdentity> resolve(Credential credential) {
        return Uni.createFrom().deferred(() -> {
            String key = credential.fingerprint();
            CallerIdentity hit = cached(key);
            if (hit != null) {
                return Uni.createFrom().item(hit);
            }
            misses.increment();
            CompletableFuture<CallerIdentity> mine = new CompletableFuture<>();
            CompletableFuture<CallerIdentity> running = inFlight.putIfAbsent(key, mine);
            if (running != null) {
                return Uni.createFrom().completionStage(running.copy());
            }
            long evictionsBefore = evictions.get();
            long startedAt = nanoClock.getAsLong();
            resolver.resolve(credential).subscribe().with(
                    identity -> {
                        if (evictions.get() == evictionsBefore) {
                            Entry entry = new Entry(identity, startedAt);
                            store(key, entry);
                            if (evictions.get() != evictionsBefore) {
                                // An eviction raced with the store: do not keep what it may have meant.
                                resolved.asMap().remove(key, entry);
                            }
                        }
                        inFlight.remove(key, mine);
                        mine.complete(identity);
                    },
                    failure -> {
                        inFlight.remove(key, mine);
                        mine.completeExceptionally(failure);
                    });
            // A copy: one waiter cancelling must not cancel the shared resolution.
            return Uni.createFrom().completionStage(mine.copy());
        });
    }

    /** Drops every entry resolved for {@code persons/{id}}; returns how many. */
    public int evictPerson(String person) {
        return evict("p:" + person);
    }

    /** Drops every entry naming {@code organisations/{id}}: members and organisation keys. */
    public int evictOrganisation(String organisation) {
        return evict("o:" + organisation);
    }

    /** Drops every entry resolved through {@code apiKeys/{id}}. */
    public int evictApiKey(String apiKey) {
        return evict("k:" + apiKey);
    }

    /** Drops everything (a change stream that reconnects has missed what happened meanwhile). */
    public void evictAll() {
        evictions.incrementAndGet();
        resolved.invalidateAll();
    }

    /** Set by the change watcher: false while no change stream vouches for cached entries. */
    public void changeStreamConnected(boolean connected) {
        this.connected = connected;
    }

    public boolean changeStreamConnected() {
        return connected;
    }

    /** Identities currently held (approximate; for metrics and tests). */
    public long size() {
        return resolved.estimatedSize();
    }

    /** Requests answered from the cache. */
    public long hits() {
        return hits.sum();
    }

    /** Requests that needed a resolution (their own, or one under way). */
    public long misses() {
        return misses.sum();
    }

    /** Entries dropped for {@code cause}. */
    public long evictions(EvictionCause cause) {
        return evicted[cause.ordinal()].sum();
    }

    /** Names in the reverse index (for tests: it shrinks with the cache). */
    int indexedNames() {
        return index.size();
    }

    private void countEviction(RemovalCause cause, Entry entry) {
        switch (cause) {
            // Explicit removals are changes, except the staleness path's (an entry too old while the
            // change stream is down; a change evicting such an entry is counted as expired too).
            case EXPLICIT -> evicted[(entry != null && tooStale(entry) ? EvictionCause.EXPIRED
                    : EvictionCause.CHANGE).ordinal()].increment();
            case EXPIRED, COLLECTED -> evicted[EvictionCause.EXPIRED.ordinal()].increment();
            case SIZE -> evicted[EvictionCause.SIZE.ordinal()].increment();
            default -> {
                // REPLACED: a fresher resolution of the same credential, not an eviction.
            }
        }
    }

    private boolean tooStale(Entry entry) {
        return !connected && nanoClock.getAsLong() - entry.resolvedAtNanos() > maxStalenessNanos;
    }

    private int evict(String tag) {
        evictions.incrementAndGet();
        Set<String> keys = index.get(tag);
        if (keys == null) {
            return 0;
        }
        List<String> copy = new ArrayList<>(keys);
        resolved.invalidateAll(copy);
        return copy.size();
    }

    private void store(String key, Entry entry) {
        for (String tag : tags(entry.identity())) {
            index.computeIfAbsent(tag, t -> ConcurrentHashMap.newKeySet()).add(key);
        }
        resolved.put(key, entry);
    }

    private void unindex(String key, CallerIdentity removed) {
        Entry current = resolved.asMap().get(key);
        List<String> keep = current == null ? List.of() : tags(current.identity());
        for (String tag : tags(removed)) {
            if (keep.contains(tag)) {
                continue;
            }
            index.computeIfPresent(tag, (t, keys) -> {
                keys.remove(key);
                return keys.isEmpty() ? null : keys;
            });
        }
    }

    private static List<String> tags(CallerIdentity identity) {
        List<String> tags = new ArrayList<>(3);
        if (!identity.getPerson().isEmpty()) {
            tags.add("p:" + identity.getPerson());
        }
        if (!identity.getOrganisation().isEmpty()) {
            tags.add("o:" + identity.getOrganisation());
        }
        if (!identity.getApiKey().isEmpty()) {
            tags.add("k:" + identity.getApiKey());
        }
        return tags;
    }
}
