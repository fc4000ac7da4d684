package dev.clearance.router.backend;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The built-in backend: answers {@code "[fable-4.5] echo: <prompt>"}, so whoever calls can see
 * which version served. Streams the same text in a few chunks.
 *
 * <p>Slow mode, for tests and demos of streams in flight: a prompt starting with
 * {@value #SLOW_PREFIX} streams one chunk per character, each after
 * {@code clearance.router.echo.slow-chunk-delay} (default 100 ms), so a 600-character prompt
 * keeps a stream open for a minute. The text is the same as without the prefix's effect.
 */
@ApplicationScoped
public class EchoBackend implements ModelBackend {

    private static final int CHUNKS = 3;
    static final String SLOW_PREFIX = "slow:";

    private final Duration slowChunkDelay;

    @Inject
    public EchoBackend(@ConfigProperty(name = "clearance.router.echo.slow-chunk-delay", defaultValue = "100ms")
                       Duration slowChunkDelay) {
        this.slowChunkDelay = slowChunkDelay;
    }

    public EchoBackend() {
        this(Duration.ofMillis(100));
    }

    @Override
    public Uni<String> generate(String model, String prompt) {
        return Uni.createFrom().item(() -> answer(model, prompt));
    }

    @Override
    public Multi<String> stream(String model, String prompt) {
        if (prompt.startsWith(SLOW_PREFIX)) {
            List<String> chunks = new ArrayList<>();
            chunks.add("[" + model + "] echo: ");
            prompt.codePoints().forEach(c -> chunks.add(new String(Character.toChars(c))));
            return Multi.createFrom().iterable(chunks)
                    .onItem().call(chunk -> Uni.createFrom().voidItem().onItem().delayIt().by(slowChunkDelay));
        }
        return Multi.createFrom().iterable(() -> chunks(model, prompt).iterator());
    }

    static String answer(String model, String prompt) {
        return "[" + model + "] echo: " + prompt;
    }

    /** The header first, then the prompt cut into up to {@value #CHUNKS} pieces (never inside a surrogate pair). */
    static List<String> chunks(String model, String prompt) {
        List<String> chunks = new ArrayList<>();
        chunks.add("[" + model + "] echo: ");
        int[] codePoints = prompt.codePoints().toArray();
        int size = Math.max(1, (codePoints.length + CHUNKS - 1) / CHUNKS);
        for (int start = 0; start < codePoints.length; start += size) {
            int end = Math.min(codePoints.length, start + size);
            chunks.add(new String(codePoints, start, end - start));
        }
        return chunks;
    }
}
