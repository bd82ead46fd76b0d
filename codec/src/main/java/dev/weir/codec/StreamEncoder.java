package dev.weir.codec;

/**
 * Turns the units of one media stream (frames, audio chunks, text messages) into token packets.
 * One instance per stream: it is stateful (the compressor compares each unit with what the decoder
 * already holds) and not thread-safe. Each modality supplies one encoder and one matching
 * {@link StreamDecoder}.
 *
 * @param <M> a unit of media, for example {@code RgbFrame}
 * @param <L> the layout a decoder needs besides the tokens (for video the frame geometry); it travels
 *            next to the packet, in the token batch's layout
 */
public interface StreamEncoder<M, L> extends Snapshottable, AutoCloseable {

    /** The tokenizer, version and codebook that produce this encoder's tokens. */
    TokenizerRef tokenizer();

    /**
     * Tokenizes (and compresses) one unit and advances the stream state.
     *
     * @param seq   the unit's sequence number in the stream, copied into the packet
     * @param media the unit
     * @return the packet and the layout that travels with it
     * @throws MediaFormatException when the unit cannot be encoded (for example a size the tokenizer rejects)
     */
    Encoded<L> encode(long seq, M media);

    /**
     * Releases what the encoder holds besides heap memory (for video on a GPU, the stream's picture in device
     * memory); the encoder is not used afterwards. Its state lives on in its {@link #snapshot()}s. The default holds
     * nothing.
     */
    @Override
    default void close() {
    }
}
