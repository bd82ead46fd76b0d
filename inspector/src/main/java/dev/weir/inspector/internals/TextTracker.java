package dev.weir.inspector.internals;

import dev.weir.avro.DecodedText;
import dev.weir.avro.TextLayout;
import dev.weir.avro.TextLayoutKind;
import dev.weir.avro.TokenBatch;
import dev.weir.codec.text.BpeEncoding;
import dev.weir.codec.text.TextTokenizer;
import org.apache.avro.specific.SpecificRecord;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;

/**
 * A text stream: the window of batch facts, its last {@value #MESSAGES} messages (each a batch paired with its
 * decoded text, by seq) with their spans, and its {@link TemplateBook}. Batches and decoded texts wait for their pair
 * (the reader may get a topic's records well before the other's): at most {@value #PENDING} of each, and decoded
 * texts of at most {@value #PENDING_CHARS} characters in all.
 */
public final class TextTracker extends StreamTracker {

    static final int MESSAGES = 100;
    static final int PENDING = 1024;
    static final long PENDING_CHARS = 4L << 20;
    static final int TEMPLATES = 64;

    private final Map<Long, TokenBatch> pendingBatches = Bounded.map(PENDING);
    private final java.util.LinkedHashMap<Long, DecodedText> pendingTexts = new java.util.LinkedHashMap<>();
    private long pendingChars;
    private final BoundedWindow<TextView.Message> messages = new BoundedWindow<>(MESSAGES);
    private final TemplateBook templates = new TemplateBook(TEMPLATES);

    public TextTracker(String id, int window) {
        super(id, "text", window);
    }

    @Override
    protected void batch(TokenBatch batch, BatchFacts facts) {
        DecodedText text = pendingTexts.remove(batch.getSeq());
        if (text != null) {
            pendingChars -= text.getText().length();
            pair(batch, text);
        } else {
            pendingBatches.put(batch.getSeq(), batch);
        }
    }

    @Override
    protected void decoded(SpecificRecord record) {
        if (!(record instanceof DecodedText t)) {
            return;
        }
        TokenBatch batch = pendingBatches.remove(t.getSeq());
        if (batch != null) {
            pair(batch, t);
            return;
        }
        DecodedText replaced = pendingTexts.put(t.getSeq(), t);
        pendingChars += t.getText().length() - (replaced == null ? 0 : replaced.getText().length());
        while (!pendingTexts.isEmpty() && (pendingTexts.size() > PENDING || pendingChars > PENDING_CHARS)) {
            pendingChars -= pendingTexts.pollFirstEntry().getValue().getText().length();
        }
    }

    private void pair(TokenBatch batch, DecodedText decoded) {
        if (!(batch.getLayout() instanceof TextLayout layout)) {
            return;
        }
        String text = decoded.getText();
        long template = templates.accept(batch.getSeq(), layout, text);
        String reused = layout.getKind() == TextLayoutKind.CACHED ? TextSpans.CACHED : TextSpans.TEMPLATE;
        List<TextSpans.Span> spans;
        TextTokenizer tokenizer = tokenizer(batch.getTokenizer().getId());
        if (tokenizer == null) {
            spans = List.of(new TextSpans.Span(text, TextSpans.SENT));
        } else {
            int[] ids = tokenizer.encode(text);
            BitSet sent = new BitSet(ids.length);
            batch.getPositions().forEach(p -> {
                if (p >= 0) {
                    sent.set(p);
                }
            });
            spans = ids.length == batch.getStats().getPositionsTotal() ? TextSpans.of(text, ids, tokenizer, sent, reused)
                    : List.of(new TextSpans.Span(text, TextSpans.SENT));
        }
        messages.add(new TextView.Message(batch.getSeq(), batch.getTimestamp().toEpochMilli(), layout.getKind().name(), template,
                layout.getPruned(), batch.getStats().getPositionsTotal(), batch.getTokens().size(), spans));
    }

    /** The tokenizer a batch names ({@code bpe-cl100k_base}), or null when it is not a BPE encoding Weir knows. */
    private static TextTokenizer tokenizer(String id) {
        if (!id.startsWith("bpe-")) {
            return null;
        }
        try {
            return TextTokenizer.of(BpeEncoding.parse(id.substring(4)));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    @Override
    public TextView detail() {
        long full = 0, sent = 0;
        for (BatchFacts b : window()) {
            full += b.tokensFull();
            sent += b.tokensEmitted();
        }
        long literal = 0, cached = 0, templated = 0;
        List<TextView.Message> shown = new ArrayList<>(messages.items());
        for (TextView.Message m : shown) {
            switch (m.kind()) {
                case "CACHED" -> cached++;
                case "TEMPLATE" -> templated++;
                default -> literal++;
            }
        }
        return new TextView(shown.reversed(), templates.templates(), full, sent, full - sent, literal, cached, templated,
                templates.unresolved());
    }
}
