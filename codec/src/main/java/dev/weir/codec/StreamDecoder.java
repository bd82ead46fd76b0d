package dev.weir.codec;

/**
 * Rebuilds the units of one media stream from its token packets alone, in seq order. One instance per
 * stream: positions a packet does not carry keep the content the decoder already holds, so the
 * decoder is stateful and not thread-safe.
 *
 * @param <L> the layout that travels with each packet (see {@link StreamEncoder})
 * @param <M> a unit of media
 */
public interface StreamDecoder<L, M> extends Snapshottable {

    /** The tokenizer this decoder understands; packets from another tokenizer must not be fed to it. */
    TokenizerRef tokenizer();

    /**
     * Applies one packet to the stream state and returns the rebuilt unit (a copy the caller owns).
     *
     * @throws MediaFormatException when the packet does not fit the layout or the codebook
     */
    M decode(L layout, TokenPacket packet);
}
