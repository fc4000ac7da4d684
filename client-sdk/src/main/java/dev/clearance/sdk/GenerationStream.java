package dev.clearance.sdk;

import dev.clearance.router.v1.StreamGenerateResponse;
import io.grpc.Context;
import io.grpc.StatusRuntimeException;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * A streamed generation: an iterator of {@link StreamEvent}s whose first element is always the
 * {@link StreamEvent.Decision}, then {@link StreamEvent.Text} chunks. Errors (a refusal, or a policy change that
 * cuts the stream: {@link AccessDeniedException}) are thrown from {@link #hasNext()}/{@link #next()}.
 * {@link #close()} cancels the call if it has not finished; use try-with-resources.
 */
public final class GenerationStream implements Iterator<StreamEvent>, AutoCloseable {

    private final AccessDecision decision;
    private final Iterator<StreamGenerateResponse> rest;
    private final Context.CancellableContext context;
    private boolean decisionReturned;

    GenerationStream(AccessDecision decision, Iterator<StreamGenerateResponse> rest, Context.CancellableContext context) {
        this.decision = decision;
        this.rest = rest;
        this.context = context;
    }

    /** The decision (also the first event). */
    public AccessDecision decision() {
        return decision;
    }

    @Override
    public boolean hasNext() {
        if (!decisionReturned) {
            return true;
        }
        try {
            boolean more = rest.hasNext();
            if (!more) {
                close();
            }
            return more;
        } catch (StatusRuntimeException e) {
            close();
            throw ClearanceException.from(e);
        }
    }

    @Override
    public StreamEvent next() {
        if (!decisionReturned) {
            decisionReturned = true;
            return new StreamEvent.Decision(decision);
        }
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        StreamGenerateResponse r;
        try {
            r = rest.next();
        } catch (StatusRuntimeException e) {
            close();
            throw ClearanceException.from(e);
        }
        return switch (r.getEventCase()) {
            case TEXT -> new StreamEvent.Text(r.getText());
            case DECISION -> new StreamEvent.Decision(Wire.decision(r.getDecision()));
            default -> new StreamEvent.Text("");
        };
    }

    /** The events as a sequential {@link Stream}; closing the stream closes the call. */
    public Stream<StreamEvent> stream() {
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(this, Spliterator.ORDERED | Spliterator.NONNULL),
                false).onClose(this::close);
    }

    /** All text chunks, concatenated (consumes the stream). */
    public String text() {
        StringBuilder b = new StringBuilder();
        while (hasNext()) {
            if (next() instanceof StreamEvent.Text t) {
                b.append(t.text());
            }
        }
        return b.toString();
    }

    @Override
    public void close() {
        context.cancel(null);
    }
}
