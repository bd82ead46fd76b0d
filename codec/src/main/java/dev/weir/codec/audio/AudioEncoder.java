package dev.weir.codec.audio;

import dev.weir.codec.Encoded;
import dev.weir.codec.StreamEncoder;
import dev.weir.codec.TokenizerRef;
import dev.weir.codec.audio.internals.MdctAudioEncoder;
import dev.weir.kernels.VectorKernels;

/**
 * Per-stream audio tokenizer: each {@link PcmChunk} (any rate 8–48 kHz, mono or stereo, any length) becomes one
 * {@link dev.weir.codec.TokenPacket} of the 20 ms frames it completes, with an {@link AudioLayout} beside it.
 *
 * <p>The chunk is downmixed to mono, resampled to the codebook's rate (windowed-sinc polyphase, state carried
 * across chunks), cut into MDCT frames (sine window, 50% overlap, 20 ms hop), and each frame becomes gain,
 * envelope and residual-VQ shape tokens (see {@link AudioCodebook}); the codebook search runs on the kernel
 * layer's exact-integer {@code nearest} and {@code subtract}. Compression ({@link AudioCompressionConfig}) drops
 * silence, reuses near-identical frames and prunes the finest stages under a token budget.
 *
 * <p>Matches {@code StreamEncoder<PcmChunk, AudioLayout>}: {@link #tokenizer()} and {@link #encode}. Stateful and
 * not thread-safe; the kernels are borrowed, not owned.
 */
public interface AudioEncoder extends StreamEncoder<PcmChunk, AudioLayout> {

    /** An encoder on {@code kernels} (only {@code nearest} and {@code subtract} are used). */
    static AudioEncoder create(AudioCodebook codebook, VectorKernels kernels, AudioCompressionConfig compression) {
        return new MdctAudioEncoder(codebook, kernels, compression);
    }

    /** The tokenizer, version and codebook that produce this encoder's tokens. */
    TokenizerRef tokenizer();

    AudioCodebook codebook();

    AudioCompressionConfig compression();

    /**
     * Tokenizes the frames {@code chunk} completes and advances the stream. A chunk shorter than what a frame
     * still needs yields a packet with no frames. A chunk at another rate than the previous one ends the old
     * resampler (its tail is flushed into the stream) and starts a new one.
     *
     * @param seq the chunk's sequence number, copied into the packet
     */
    Encoded<AudioLayout> encode(long seq, PcmChunk chunk);

    /**
     * {@link #encode(long, PcmChunk)}, or with {@code endOfStream} the chunk and {@link #finish} in one packet: the
     * chunk's samples, then the flush (for a producer that marks its last chunk).
     */
    Encoded<AudioLayout> encode(long seq, PcmChunk chunk, boolean endOfStream);

    /**
     * Ends the stream: flushes the resampler, pads the last frame with zeros, and returns the remaining frames
     * in a packet whose layout has {@code endOfStream} set and finalizes exactly the samples left; the encoder
     * then starts a new stream (as if fresh).
     */
    Encoded<AudioLayout> finish(long seq);
}
