package dev.weir.codec.video;

import dev.weir.codec.StreamEncoder;
import dev.weir.codec.video.internals.PatchVideoEncoder;
import dev.weir.kernels.VideoKernels;

import java.util.Optional;

/**
 * Per-stream video tokenizer: each {@link RgbFrame} becomes one {@link dev.weir.codec.TokenPacket}
 * of patch tokens (see {@link VideoTokenLayout}), with the frame's {@link FrameGeometry} as the layout
 * that travels beside it.
 *
 * <p>For every P×P patch (edge-padded): the quantized mean colour (DC) and the index of the nearest
 * stage-0 shape of the mean-removed patch, then for each residual stage the nearest entry to what the
 * previous stages left (residual vector quantization).
 *
 * <p>Compression ({@link CompressionConfig}, on by default): the encoder remembers the frame the
 * decoder holds (its {@link #reference()}, rebuilt from the tokens it sent, so encoder and decoder never
 * drift) and the tokens of every patch. Patches that did not change reuse their cached tokens: they are
 * neither searched in the codebook nor sent (the packet lists them in {@code reusedPositions}). Changed
 * patches are ranked by novelty against a spatial and a temporal anchor and the most novel kept under
 * the budget; the others stay stale at the decoder and remain candidates next frame. Keyframes (every
 * patch sent) come on an interval and on scene changes. Not thread-safe; the kernels are borrowed, not
 * owned (close them yourself).
 */
public interface VideoEncoder extends StreamEncoder<RgbFrame, FrameGeometry> {

    /**
     * An encoder with all stages of {@code codebook}, computing on {@code kernels}, compressing with
     * {@link CompressionConfig#defaults()}.
     */
    static VideoEncoder create(VideoCodebook codebook, VideoKernels kernels) {
        return create(codebook, kernels, CompressionConfig.defaults());
    }

    /**
     * An encoder compressing with {@code compression}; {@link CompressionConfig#none()} makes every
     * packet a keyframe carrying every patch.
     */
    static VideoEncoder create(VideoCodebook codebook, VideoKernels kernels, CompressionConfig compression) {
        return new PatchVideoEncoder(codebook, kernels, compression);
    }

    VideoCodebook codebook();

    /** How this encoder compresses. */
    CompressionConfig compression();

    /** The picture a decoder holds after the last packet this encoder produced; empty before the first. */
    Optional<RgbFrame> reference();
}
