package dev.clearance.router.identity;

import dev.clearance.common.v1.CallerIdentity;
import dev.clearance.identity.v1.WatchIdentityChangesResponse;
import dev.clearance.router.auth.Credential;
import io.smallrye.mutiny.Uni;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Eviction by person, organisation and API key; the reverse index; the staleness rule. */
class CallerDirectoryEvictionTest {

    // secret → identity: alice and bob are members of acme; acme-key is acme's organisation key;
    // alice-key is alice's person-bound key; carol is alone.
    private static final Map<String, CallerIdentity> IDENTITIES = Map.of(
            "alice", CallerIdentity.newBuilder().setPerson("persons/alice").setOrganisation("organisations/acme").build(),
            "bob", CallerIdentity.newBuilder().setPerson("persons/bob").setOrganisation("organisations/acme").build(),
            "acme-key", CallerIdentity.newBuilder().setOrganisation("organisations/acme").setApiKey("apiKeys/k1").build(),
            "alice-key", CallerIdentity.newBuilder().setPerson("persons/alice").setOrganisation("organisations/acme")
                    .setApiKey("apiKeys/k2").build(),
            "carol", CallerIdentity.newBuilder().setPerson("persons/carol").build());

    private final AtomicInteger resolutions = new AtomicInteger();
    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final CallerResolver resolver = credential -> {
        resolutions.incrementAndGet();
        return Uni.createFrom().item(IDENTITIES.get(credential.secret()));
    };

    private CallerDirectory directory() {
        return new CallerDirectory(resolver, Duration.ofMinutes(1), 100, Duration.ofSeconds(5), now::get);
    }

    private static void resolve(CallerDirectory d, String... secrets) {
        for (String s : secrets) {
            Credential c = s.contains("key") ? Credential.apiKey(s) : Credential.bearerToken(s);
            d.resolve(c).await().indefinitely();
        }
    }

    private static final String[] ALL = {"alice", "bob", "acme-key", "alice-key", "carol"};

    @Test
    void aPersonChangeDropsEveryEntryResolvedForThatPerson() {
        CallerDirectory d = directory();
        resolve(d, ALL);
        assertEquals(5, resolutions.get());
        assertEquals(2, d.evictPerson("persons/alice"));
        resolve(d, ALL);
        assertEquals(7, resolutions.get(), "only alice's token and alice's key are resolved again");
    }

    @Test
    void anOrganisationChangeDropsMembersAndOrganisationKeys() {
        CallerDirectory d = directory();
        resolve(d, ALL);
        assertEquals(4, d.evictOrganisation("organisations/acme"));
        resolve(d, ALL);
        assertEquals(9, resolutions.get(), "everyone but carol is resolved again");
    }

    @Test
    void anApiKeyChangeDropsOnlyThatKey() {
        CallerDirectory d = directory();
        resolve(d, ALL);
        assertEquals(1, d.evictApiKey("apiKeys/k1"));
        assertEquals(0, d.evictApiKey("apiKeys/unknown"));
        resolve(d, ALL);
        assertEquals(6, resolutions.get());
    }

    @Test
    void theWatcherEvictsWhatAChangeNames() {
        CallerDirectory d = directory();
        IdentityChangeWatcher watcher = new IdentityChangeWatcher();
        watcher.directory = d;
        resolve(d, ALL);
        watcher.apply(WatchIdentityChangesResponse.newBuilder().setApiKey("apiKeys/k2").build());
        watcher.apply(WatchIdentityChangesResponse.newBuilder().setPerson("persons/carol").setIdentityRevision(3).build());
        resolve(d, ALL);
        assertEquals(7, resolutions.get());
    }

    @Test
    void theReverseIndexShrinksWithTheCache() {
        CallerDirectory d = directory();
        resolve(d, ALL);
        // persons alice, bob, carol; organisation acme; keys k1, k2.
        assertEquals(6, d.indexedNames());
        d.evictOrganisation("organisations/acme");
        assertEquals(1, d.indexedNames(), "only carol is left");
        d.evictAll();
        assertEquals(0, d.indexedNames());
        assertEquals(0, d.size());
    }

    @Test
    void theIndexIsBoundedWithTheCache() {
        CallerDirectory d = new CallerDirectory(credential -> Uni.createFrom().item(
                CallerIdentity.newBuilder().setPerson("persons/" + credential.secret()).build()),
                Duration.ofMinutes(1), 10, Duration.ofSeconds(5), now::get);
        for (int i = 0; i < 500; i++) {
            d.resolve(Credential.bearerToken("p" + i)).await().indefinitely();
        }
        d.evictPerson("persons/none"); // gives Caffeine a chance to run pending maintenance
        assertTrue(d.size() <= 10, "cache bound");
        assertTrue(d.indexedNames() <= 10 + 1, "index bounded with the cache: " + d.indexedNames());
    }

    @Test
    void whileTheStreamIsDownEntriesOlderThanTheBoundAreResolvedAgain() {
        CallerDirectory d = directory();
        resolve(d, "carol");
        now.addAndGet(Duration.ofSeconds(10).toNanos());
        resolve(d, "carol");
        assertEquals(1, resolutions.get(), "connected: the change stream vouches for the entry");

        d.changeStreamConnected(false);
        assertFalse(d.changeStreamConnected());
        resolve(d, "carol");
        assertEquals(2, resolutions.get(), "down: older than 5s, resolved again");
        now.addAndGet(Duration.ofSeconds(4).toNanos());
        resolve(d, "carol");
        assertEquals(2, resolutions.get(), "down: younger than the bound, served from the cache");
        now.addAndGet(Duration.ofSeconds(2).toNanos());
        resolve(d, "carol");
        assertEquals(3, resolutions.get(), "down: past the bound again");
    }

    @Test
    void aResolutionInFlightDuringAnEvictionIsNotCached() {
        io.smallrye.mutiny.operators.multi.processors.UnicastProcessor<CallerIdentity> pending =
                io.smallrye.mutiny.operators.multi.processors.UnicastProcessor.create();
        AtomicInteger calls = new AtomicInteger();
        CallerDirectory d = new CallerDirectory(credential -> {
            calls.incrementAndGet();
            return calls.get() == 1 ? pending.toUni() : Uni.createFrom().item(IDENTITIES.get("carol"));
        }, Duration.ofMinutes(1), 100, Duration.ofSeconds(5), now::get);
        var first = d.resolve(Credential.bearerToken("carol")).subscribeAsCompletionStage();
        d.evictPerson("persons/carol");
        pending.onNext(IDENTITIES.get("carol"));
        assertEquals("persons/carol", first.join().getPerson());
        assertEquals(0, d.size(), "may predate the change: answered, not cached");
        d.resolve(Credential.bearerToken("carol")).await().indefinitely();
        assertEquals(2, calls.get());
        assertEquals(1, d.size());
    }

    @Test
    void theCachedLookupAnswersOnlyWhatResolveWouldServeFromTheCache() {
        CallerDirectory d = directory();
        Credential carol = Credential.bearerToken("carol");
        assertNull(d.cached(carol), "never resolved");
        resolve(d, "carol");
        assertEquals("persons/carol", d.cached(carol).getPerson());
        assertEquals(1, d.hits(), "a cached lookup that answers is a hit");
        assertEquals(1, d.misses());

        d.changeStreamConnected(false);
        now.addAndGet(Duration.ofSeconds(6).toNanos());
        assertNull(d.cached(carol), "older than the bound while the change stream is down");
        d.changeStreamConnected(true);
        resolve(d, "carol");
        assertEquals(2, resolutions.get(), "the stale entry was dropped and resolved again");
        assertEquals("persons/carol", d.cached(carol).getPerson());

        d.evictPerson("persons/carol");
        assertNull(d.cached(carol), "evicted by a change");
        assertEquals(2, d.hits());
    }
}
