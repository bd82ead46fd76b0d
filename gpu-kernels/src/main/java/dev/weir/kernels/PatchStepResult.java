package dev.weir.kernels;

/**
 * What one execution of a {@link PatchStepPlan} sends: for each sent patch, in the order of
 * {@link PatchSelection#sent()}, its DC codes, its shape index in every stage, and its squared error against the
 * frame once painted (the cacher's "error at send"). Fresh arrays, owned by the caller.
 *
 * @param positions    the k sent patch positions, ascending
 * @param dcCodes      3·k DC codes, R, G, B of sent patch r at {@code [3r, 3r + 3)} ({@link VideoKernels#patchify})
 * @param shapeIds     stages·k indices: stage t of sent patch r at {@code [t·k + r]} ({@link VideoKernels#nearest}
 *                     of what the stages before left, {@link VideoKernels#subtract})
 * @param errorAtSend  k values: {@link VideoKernels#patchSquaredError} of the frame against the reference after
 *                     the sent patches were painted; at most 3·255²·32² &lt; 2³¹
 */
public record PatchStepResult(int[] positions, int[] dcCodes, int[] shapeIds, int[] errorAtSend) {

    /** Number of sent patches, k. */
    public int count() {
        return positions.length;
    }
}
