package dev.weir.kernels;

/**
 * What the first phase of a {@link PatchStepPlan} measures of a frame, per patch, for the host's decision
 * ({@link PatchSelector}). The arrays are the plan's own buffers: read them in the selector (and until the
 * plan's next execution), do not keep them.
 *
 * @param patches       n, patches per frame
 * @param squaredError  n values: {@link VideoKernels#patchSquaredError} of the frame against the plan's
 *                      reference picture (what the decoder shows), the cacher's change measure
 * @param cellMeans     n·{@value VideoKernels#CELL_MEANS} values: {@link VideoKernels#cellMeans} of the frame,
 *                      the novelty feature of each patch
 */
public record PatchMeasures(int patches, long[] squaredError, byte[] cellMeans) {
}
