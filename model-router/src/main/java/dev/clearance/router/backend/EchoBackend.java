package dev.clearance.router.backend;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;

/**
 * The built-in backend: answers {@code "[fable-4.5] echo: <prompt>"}, so whoever calls can see
 * which version served. Streams the same text in a few chunks.
 */
@ApplicationScoped
public class EchoBackend implements ModelBackend {

    private static final int CHUNKS = 3;

    @Override
    public Uni<String> generate(String model, String prompt) {
        return Uni.createFrom().item(() -> answer(model, prompt));
    }

    @Override
    public Multi<String> stream(String model, String prompt) {
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
