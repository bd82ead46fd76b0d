package dev.weir.topology.text;

import dev.weir.avro.DecodedText;
import dev.weir.avro.TextEvent;
import dev.weir.avro.TextLayoutKind;
import dev.weir.avro.TokenBatch;
import dev.weir.codec.MediaFormatException;
import dev.weir.codec.StreamDecoder;
import dev.weir.codec.StreamEncoder;
import dev.weir.codec.TokenizerRef;
import dev.weir.codec.text.BpeEncoding;
import dev.weir.codec.text.TextCompressionConfig;
import dev.weir.codec.text.TextDecoder;
import dev.weir.codec.text.TextEncoder;
import dev.weir.codec.text.TextLayout;
import dev.weir.codec.text.TextTokenizer;
import dev.weir.topology.WeirConfig;
import dev.weir.topology.modality.Modality;
import dev.weir.topology.modality.ModalityDescriptor;
import dev.weir.topology.modality.ModalityCodec;

import java.time.Instant;
import java.util.List;

import static dev.weir.topology.internals.TokenBatches.boxed;
import static dev.weir.topology.internals.TokenBatches.unboxed;

/**
 * Text as a modality: {@code TextEvent} messages (chat lines, log lines, captions) in, real BPE ids
 * (JTokkit, equal to tiktoken's) compressed by the lossless cache and templates (and, opt-in, pruned), and
 * {@code DecodedText} out. A message whose bytes are not UTF-8 never reaches it: Weir's Avro deserializer
 * refuses it ({@code invalid-media}). Its settings are the {@code weir.text.*} keys below; the encoder and the
 * decoder must run with the same ones. See docs/text.md.
 */
public final class TextModality implements Modality<TextEvent, String, TextLayout, DecodedText> {

    public static final String NAME = "text";
    private static final ModalityDescriptor<TextEvent, DecodedText> DESCRIPTOR =
            new ModalityDescriptor<>(NAME, dev.weir.avro.Modality.TEXT, "events", "messages", TextEvent.class, DecodedText.class);

    /** {@code cl100k_base} (default) or {@code o200k_base}. */
    public static final String ENCODING = "weir.text.encoding";
    /** {@code on} (default): the lossless cache and templates; {@code off}: every message sent whole. */
    public static final String CACHE = "weir.text.cache";
    public static final String CACHE_ENTRIES = "weir.text.cache.entries";
    public static final String CACHE_CHARS = "weir.text.cache.chars";
    public static final String TEMPLATES = "weir.text.templates";
    public static final String TEMPLATE_CHARS = "weir.text.template.chars";
    /** Opt-in lossy pruning: the share of tokens kept, (0, 1]; unset = off. */
    public static final String PRUNE_KEEP = "weir.text.prune.keep";
    /** The largest message, in UTF-8 bytes (default 1 MiB, never above weir.max.event.bytes). */
    public static final String MAX_MESSAGE_BYTES = "weir.text.max.message.bytes";

    @Override
    public ModalityDescriptor<TextEvent, DecodedText> descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public String streamId(TextEvent event) {
        return event.getStreamId();
    }

    @Override
    public long seq(TextEvent event) {
        return event.getSeq();
    }

    @Override
    public Instant timestamp(TextEvent event) {
        return event.getTimestamp();
    }

    /**
     * The message. Its bytes were checked as UTF-8 when the event was read; its size is checked by the encoder,
     * against {@value #MAX_MESSAGE_BYTES}, before it is tokenized ({@code oversized}).
     */
    @Override
    public String media(TextEvent event, int maxEventBytes) {
        return event.getText();
    }

    @Override
    public void check(WeirConfig config) {
        compression(config, Integer.MAX_VALUE);
        BpeEncoding.parse(config.get(ENCODING, "cl100k_base"));
    }

    @Override
    public ModalityCodec<String, TextLayout> open(WeirConfig config) {
        TextTokenizer tokenizer = TextTokenizer.of(BpeEncoding.parse(config.get(ENCODING, "cl100k_base")));
        return new Codec(tokenizer, compression(config, config.getInt(WeirConfig.MAX_EVENT_BYTES)));
    }

    /** The text compression of {@code weir.text.*}, with messages bounded by the smaller of its limit and {@code maxEventBytes}. */
    public static TextCompressionConfig compression(WeirConfig config, int maxEventBytes) {
        TextCompressionConfig c = switch (config.get(CACHE, "on")) {
            case "on" -> TextCompressionConfig.defaults();
            case "off" -> TextCompressionConfig.none();
            default -> throw new IllegalArgumentException(CACHE + " must be on or off, not " + config.get(CACHE));
        };
        if (config.get(CACHE_ENTRIES, null) != null || config.get(CACHE_CHARS, null) != null) {
            c = c.withCacheBounds(config.getInt(CACHE_ENTRIES, TextCompressionConfig.DEFAULT_CACHE_ENTRIES),
                    config.getInt(CACHE_CHARS, TextCompressionConfig.DEFAULT_CACHE_CHARS));
        }
        if (config.get(TEMPLATES, null) != null || config.get(TEMPLATE_CHARS, null) != null) {
            c = c.withTemplateBounds(config.getInt(TEMPLATES, TextCompressionConfig.DEFAULT_TEMPLATES),
                    config.getInt(TEMPLATE_CHARS, TextCompressionConfig.DEFAULT_TEMPLATE_CHARS));
        }
        if (config.get(PRUNE_KEEP, null) != null) {
            c = c.withPruning(new TextCompressionConfig.Pruning.Keep(config.getDouble(PRUNE_KEEP)));
        }
        int limit = Math.min(maxEventBytes, config.getInt(MAX_MESSAGE_BYTES, TextCompressionConfig.DEFAULT_MAX_MESSAGE_BYTES));
        return c.withMaxMessageBytes(limit);
    }

    @Override
    public Object layoutToAvro(TextLayout layout) {
        return dev.weir.avro.TextLayout.newBuilder()
                .setKind(TextLayoutKind.valueOf(layout.kind().name()))
                .setRef(layout.ref())
                .setLearnedTemplate(layout.learnedTemplate())
                .setNewVariables(boxed(layout.newVariables()))
                .setFieldTokens(boxed(layout.fieldTokens()))
                .setFieldPrefix(boxed(layout.fieldPrefix()))
                .setFieldSuffix(boxed(layout.fieldSuffix()))
                .setFieldSource(boxed(layout.fieldSource()))
                .setPruned(layout.pruned())
                .build();
    }

    @Override
    public TextLayout layoutFromAvro(Object layout) {
        if (!(layout instanceof dev.weir.avro.TextLayout t)) {
            throw new MediaFormatException("token batch carries " + (layout == null ? "no layout" : "a " + layout.getClass().getSimpleName())
                    + ": the text decoder needs a TextLayout");
        }
        return new TextLayout(TextLayout.Kind.valueOf(t.getKind().name()), t.getRef(), t.getLearnedTemplate(),
                unboxed(t.getNewVariables()), unboxed(t.getFieldTokens()), unboxed(t.getFieldPrefix()),
                unboxed(t.getFieldSuffix()), unboxed(t.getFieldSource()), t.getPruned());
    }

    @Override
    public DecodedText decoded(TokenBatch batch, String text) {
        return DecodedText.newBuilder()
                .setStreamId(batch.getStreamId())
                .setSeq(batch.getSeq())
                .setTimestamp(batch.getTimestamp())
                .setText(text)
                .setTokenizer(batch.getTokenizer())
                .build();
    }

    /** One processor's text codec: the tokenizer (its vocabulary is shared) and the compression settings. */
    private record Codec(TextTokenizer bpe, TextCompressionConfig compression) implements ModalityCodec<String, TextLayout> {

        @Override
        public TokenizerRef tokenizer() {
            return bpe.ref();
        }

        @Override
        public String backend() {
            return "jvm";
        }

        @Override
        public StreamEncoder<String, TextLayout> newEncoder() {
            return TextEncoder.create(bpe, compression);
        }

        @Override
        public StreamDecoder<TextLayout, String> newDecoder() {
            return TextDecoder.create(bpe, compression);
        }

        @Override
        public void close() {
        }
    }
}
