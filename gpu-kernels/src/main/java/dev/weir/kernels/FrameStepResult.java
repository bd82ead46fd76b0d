package dev.weir.kernels;

/**
 * Output of one {@link FrameStepPlan#execute} over {@code frames} frames, frame-major. The arrays are
 * the plan's own buffers: valid until its next execution, sized for a full batch.
 *
 * @param frames       frames processed
 * @param patches      n, patches per frame
 * @param keptPerFrame k, patches kept per frame
 * @param dcCodes      frames·n·3 DC codes: frame f, patch i, channel c at {@code (f·n + i)·3 + c}
 * @param keptPatches  frames·k patch indices, ascending within a frame: frame f at {@code [f·k, (f+1)·k)}
 * @param tokens       frames·k codebook indices, aligned with keptPatches
 */
public record FrameStepResult(int frames, int patches, int keptPerFrame, int[] dcCodes, int[] keptPatches,
                             int[] tokens) {
}
