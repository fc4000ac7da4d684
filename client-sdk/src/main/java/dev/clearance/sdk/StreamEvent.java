package dev.clearance.sdk;

/** One event of a streamed generation: first the {@link Decision}, then {@link Text} chunks. */
public sealed interface StreamEvent permits StreamEvent.Decision, StreamEvent.Text {

    /** Always the first event. */
    record Decision(AccessDecision decision) implements StreamEvent {
    }

    /** A chunk of generated text. */
    record Text(String text) implements StreamEvent {
    }
}
