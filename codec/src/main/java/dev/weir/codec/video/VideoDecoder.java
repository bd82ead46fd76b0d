package dev.weir.codec.video;

import dev.weir.codec.StreamDecoder;
import dev.weir.codec.video.internals.PatchVideoDecoder;
import dev.weir.kernels.VideoKernels;

/**
 * Per-stream video decoder: rebuilds frames from {@link dev.weir.codec.TokenPacket}s alone.
 *
 * <p>{@link #decode(Object, dev.weir.codec.TokenPacket) decode(geometry, packet)} paints the patches
 * the packet carries (DC plus the sum of the stage shapes, clamped to 0..255) over the frame it
 * holds; positions the packet does not carry keep their previous content. The state is that frame and
 * its geometry. A fresh decoder holds a black frame. A packet whose geometry differs from the held one
 * must be a keyframe (it starts a new black frame first); a non-keyframe with another geometry is
 * rejected. The snapshot holds the tokens last painted at each position (a few bytes per patch), and
 * {@link #restore(byte[])} repaints the picture from them. Not thread-safe; the kernels are borrowed, not owned.
 */
public interface VideoDecoder extends StreamDecoder<FrameGeometry, RgbFrame> {

    /** A decoder for tokens made with {@code codebook}, computing on {@code kernels}. */
    static VideoDecoder create(VideoCodebook codebook, VideoKernels kernels) {
        return new PatchVideoDecoder(codebook, kernels);
    }

    VideoCodebook codebook();
}
