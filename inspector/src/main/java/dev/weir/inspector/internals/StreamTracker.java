package dev.weir.inspector.internals;

import dev.weir.avro.TokenBatch;
import org.apache.avro.specific.SpecificRecord;

/**
 * What the inspector keeps of one stream: its latest batches' {@link BatchFacts} in a bounded window and its counts;
 * each modality adds what it shows ({@link VideoTracker}, {@link AudioTracker}, {@link TextTracker}). Not thread-safe:
 * the {@link StreamBoard} that owns it serialises every call.
 */
public class StreamTracker {

    private final String id;
    private final String modality;
    private final BoundedWindow<BatchFacts> batches;
    private long batchCount;
    private long decodedCount;
    private long lastReadMillis;
    private String tokenizer = "";
    private String backend = "";

    public StreamTracker(String id, String modality, int window) {
        this.id = id;
        this.modality = modality;
        this.batches = new BoundedWindow<>(window);
    }

    public final String id() {
        return id;
    }

    public final String modality() {
        return modality;
    }

    /** A token batch of this stream, read at {@code nowMillis}. */
    public final void onTokens(TokenBatch batch, long nowMillis) {
        BatchFacts facts = BatchFacts.of(batch);
        batches.add(facts);
        batchCount++;
        lastReadMillis = nowMillis;
        tokenizer = batch.getTokenizer().getId() + "/" + batch.getTokenizer().getVersion();
        if (!facts.backend().isEmpty()) {
            backend = facts.backend();
        }
        batch(batch, facts);
    }

    /** A decoded output of this stream. */
    public final void onDecoded(SpecificRecord decoded, long nowMillis) {
        decodedCount++;
        lastReadMillis = nowMillis;
        decoded(decoded);
    }

    /** An input event of this stream (read only when the inspector may read the inputs). */
    public void onInput(SpecificRecord event, long nowMillis) {
        lastReadMillis = nowMillis;
        input(event);
    }

    /** The stream's row, with {@code deadLetters} of its key (the board counts them, also before it kept the stream). */
    public StreamSummary summary(long deadLetters) {
        BatchFacts last = batches.last();
        return new StreamSummary(id, modality, tokenizer, backend, batchCount, decodedCount, deadLetters,
                last == null ? -1 : last.seq(), last == null ? 0 : last.timestamp(), lastReadMillis, Rates.of(batches.items()));
    }

    /** The window of batch facts, oldest first. */
    protected final java.util.List<BatchFacts> window() {
        return batches.items();
    }

    /** The modality's own view of the stream (JSON), beside the summary; null when it has none. */
    public Object detail() {
        return null;
    }

    /** The modality's part of taking a batch. */
    protected void batch(TokenBatch batch, BatchFacts facts) {
    }

    /** The modality's part of taking a decoded output. */
    protected void decoded(SpecificRecord decoded) {
    }

    /** The modality's part of taking an input event. */
    protected void input(SpecificRecord event) {
    }
}
