package dev.clearance.router.backend;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EchoBackendTest {

    private final EchoBackend backend = new EchoBackend();

    @Test
    void answerNamesTheServingModel() {
        assertEquals("[fable-4.5] echo: hello", backend.generate("fable-4.5", "hello").await().indefinitely());
    }

    @Test
    void streamComesInSeveralChunksThatAddUpToTheAnswer() {
        String prompt = "explain deemed exports in one paragraph";
        List<String> chunks = backend.stream("fable-5", prompt).collect().asList().await().indefinitely();
        assertTrue(chunks.size() > 2, "expected a few chunks, got " + chunks);
        assertEquals("[fable-5] echo: ", chunks.get(0));
        assertEquals(backend.generate("fable-5", prompt).await().indefinitely(), String.join("", chunks));
    }

    @Test
    void chunksNeverSplitACharacter() {
        String prompt = "\uD83D\uDE00\uD83D\uDE01\uD83D\uDE02\uD83D\uDE03"; // four emoji, each a surrogate pair
        List<String> chunks = backend.stream("lyric-3", prompt).collect().asList().await().indefinitely();
        for (String chunk : chunks) {
            assertTrue(chunk.isEmpty() || !Character.isLowSurrogate(chunk.charAt(0)), "split pair in " + chunks);
        }
        assertEquals("[lyric-3] echo: " + prompt, String.join("", chunks));
    }

    @Test
    void anEmptyPromptStillAnswers() {
        assertEquals(List.of("[lyric-3] echo: "),
                backend.stream("lyric-3", "").collect().asList().await().indefinitely());
    }

    @Test
    void aSlowPromptStreamsOneCharacterPerChunkWithTheSameText() {
        EchoBackend slow = new EchoBackend(java.time.Duration.ofMillis(1));
        String prompt = "slow:abc";
        List<String> chunks = slow.stream("lyric-3", prompt).collect().asList().await().indefinitely();
        assertEquals(List.of("[lyric-3] echo: ", "s", "l", "o", "w", ":", "a", "b", "c"), chunks);
        assertEquals(slow.generate("lyric-3", prompt).await().indefinitely(), String.join("", chunks));
    }
}
