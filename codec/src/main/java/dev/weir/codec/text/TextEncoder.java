package dev.weir.codec.text;

import dev.weir.codec.Encoded;
import dev.weir.codec.StreamEncoder;
import dev.weir.codec.TokenizerRef;
import dev.weir.codec.text.internals.CachingTextEncoder;

/**
 * Per-stream text encoder: each message becomes BPE token ids (tiktoken's, see {@link TextTokenizer})
 * in a {@link dev.weir.codec.TokenPacket}, with a {@link TextLayout} that tells the decoder how to rebuild it.
 *
 * <p>Packet mapping: one token per position ({@code tokensPerPosition = 1}); {@code positionsTotal} is
 * the number of ids of the whole message the decoder rebuilds (tiktoken's {@code encode_ordinary}
 * count of the message, or of the pruned message when pruning is on); {@code positions} are the indices
 * of the sent ids among those, ascending; {@code reusedPositions} the others (served from the cache or
 * the template); {@code keyframe} is true for a literal (every id sent: decodable without state);
 * {@code prunedCount} the tokens the lossy pruner dropped; {@code positionsChanged} the ids sent.
 *
 * <p>With the cache on (the default), an exact repeat of a cached message sends no id, and a message
 * that matches a mined template sends only the ids of its changed variable fields (see
 * {@link TextCompressionConfig}). Stateful (the cache, the templates, the pruner's counts) and not
 * thread-safe: one per stream; {@link #snapshot()} after each message makes it restartable.
 */
public interface TextEncoder extends StreamEncoder<String, TextLayout> {

    /** An encoder with {@code encoding}, compressing with {@code config}. */
    static TextEncoder create(BpeEncoding encoding, TextCompressionConfig config) {
        return create(TextTokenizer.of(encoding), config);
    }

    /** An encoder with {@code tokenizer}, compressing with {@code config}. */
    static TextEncoder create(TextTokenizer tokenizer, TextCompressionConfig config) {
        return new CachingTextEncoder(tokenizer, config);
    }

    /** The default encoding ({@code cl100k_base}) and compression (lossless cache, no pruning). */
    static TextEncoder create() {
        return create(BpeEncoding.CL100K_BASE, TextCompressionConfig.defaults());
    }

    TokenizerRef tokenizer();

    TextCompressionConfig config();

    /**
     * Tokenizes and compresses one message and advances the stream state.
     *
     * @param seq     the message's sequence number, copied into the packet
     * @param message the message (any text; whitespace and line ends are kept exactly)
     * @throws dev.weir.codec.MediaFormatException when the message is larger than
     *         {@link TextCompressionConfig#maxMessageBytes()} or holds an unpaired surrogate (not encodable as
     *         UTF-8); the state is then unchanged
     */
    Encoded<TextLayout> encode(long seq, String message);
}
