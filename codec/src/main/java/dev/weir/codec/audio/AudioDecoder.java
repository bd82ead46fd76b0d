package dev.weir.codec.audio;

import dev.weir.codec.StreamDecoder;
import dev.weir.codec.TokenPacket;
import dev.weir.codec.TokenizerRef;
import dev.weir.codec.audio.internals.MdctAudioDecoder;

/**
 * Per-stream audio decoder: rebuilds PCM from token packets alone. Each packet's frames are dequantized
 * (gain, envelope, shape; noise fill where there is no shape; comfort noise in silence), inverse-transformed
 * and overlap-added to the half frame held from the previous packet. {@link #decode} returns exactly the
 * samples the packet finalizes ({@link AudioLayout#sampleCount()}), mono PCM_S16LE at the tokenizer's rate.
 *
 * <p>After a gap (a packet whose first frame is not the next one) the decoder resumes rather than wait for a
 * keyframe: the overlap starts from silence, a stage whose token was held before the gap is left out until it
 * is sent again, and a frame whose gain or envelope is not known yet is silent. The output still tiles the
 * stream from the packet's {@link AudioLayout#firstSample()}.
 *
 * <p>Matches {@code StreamDecoder<AudioLayout, PcmChunk>}. The state (overlap tail, the last frame's tokens for
 * reuse, the comfort-noise level) is a snapshot of 1,415 bytes at 16 kHz. Stateful and not thread-safe.
 */
public interface AudioDecoder extends StreamDecoder<AudioLayout, PcmChunk> {

    /** A decoder for tokens made with {@code codebook}. Decoding needs no kernels. */
    static AudioDecoder create(AudioCodebook codebook) {
        return new MdctAudioDecoder(codebook);
    }

    /** The tokenizer this decoder understands. */
    TokenizerRef tokenizer();

    AudioCodebook codebook();

    /**
     * Applies one packet and returns the samples it finalizes.
     *
     * @throws dev.weir.codec.MediaFormatException when the packet does not fit the layout or the codebook
     */
    PcmChunk decode(AudioLayout layout, TokenPacket packet);
}
