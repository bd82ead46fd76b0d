package dev.weir.codec.text;

import dev.weir.codec.StreamDecoder;
import dev.weir.codec.TokenPacket;
import dev.weir.codec.TokenizerRef;
import dev.weir.codec.text.internals.CachingTextDecoder;

/**
 * Per-stream text decoder: rebuilds each message from its {@link TokenPacket} and {@link TextLayout}
 * alone, in seq order. It keeps the same cache and templates as the encoder (learned from what it
 * decodes, with the same bounds and evictions), so cache and template references expand exactly; the
 * decoded text equals the encoded message unless the encoder pruned it. Needs the encoder's
 * {@link TextCompressionConfig} (its bounds). Not thread-safe: one per stream.
 */
public interface TextDecoder extends StreamDecoder<TextLayout, String> {

    /** A decoder for packets of an encoder made with {@code encoding} and {@code config}. */
    static TextDecoder create(BpeEncoding encoding, TextCompressionConfig config) {
        return create(TextTokenizer.of(encoding), config);
    }

    /** A decoder for packets of an encoder made with {@code tokenizer} and {@code config}. */
    static TextDecoder create(TextTokenizer tokenizer, TextCompressionConfig config) {
        return new CachingTextDecoder(tokenizer, config);
    }

    TokenizerRef tokenizer();

    /**
     * Rebuilds one message and applies it to the stream state.
     *
     * @throws dev.weir.codec.MediaFormatException when the packet does not fit the layout or the state (an
     *         unknown reference, wrong token counts, invalid ids or bytes): the stream is out of sync; the
     *         state is then unchanged
     */
    String decode(TextLayout layout, TokenPacket packet);
}
