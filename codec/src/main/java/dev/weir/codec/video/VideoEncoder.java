package dev.weir.codec.video;

import dev.weir.codec.StreamEncoder;
import dev.weir.codec.video.internals.PatchVideoEncoder;
import dev.weir.kernels.FrameGeometry;
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
 * <p>Stateful: it remembers the frame the decoder holds (its {@link #reference()}), which the
 * cacher/pruner compares new frames with. Today every packet is a keyframe carrying every patch. Not
 * thread-safe; the kernels are borrowed, not owned (close them yourself).
 */
public interface VideoEncoder extends StreamEncoder<RgbFrame, FrameGeometry> {

    /** An encoder with all stages of {@code codebook}, computing on {@code kernels}. */
    static VideoEncoder create(VideoCodebook codebook, VideoKernels kernels) {
        return new PatchVideoEncoder(codebook, kernels);
    }

    VideoCodebook codebook();

    /** The picture a decoder holds after the last packet this encoder produced; empty before the first. */
    Optional<RgbFrame> reference();
}
