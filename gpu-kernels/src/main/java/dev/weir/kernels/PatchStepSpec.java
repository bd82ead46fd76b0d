package dev.weir.kernels;

import java.util.List;
import java.util.Objects;

/**
 * The shape of a stream's patch-VQ frame step ({@link PatchStepPlan}), fixed for the life of a plan: the
 * frame's patch grid, the DC quantization and the residual-VQ stage codebooks every searched patch goes through.
 *
 * @param grid   frame size and patch side
 * @param dcBits bits per channel of the quantized DC (1..8), see {@link VideoKernels#patchify}
 * @param stages the stage codebooks, in order (residual VQ: stage t searches what stages 0..t−1 left); each of
 *               dim {@code grid.patchDim()}
 */
public record PatchStepSpec(PatchGrid grid, int dcBits, List<ShapeCodebook> stages) {

    public PatchStepSpec {
        Objects.requireNonNull(grid, "grid");
        stages = List.copyOf(stages);
        if (dcBits < 1 || dcBits > 8) {
            throw new IllegalArgumentException("dcBits must be 1..8: " + dcBits);
        }
        if (stages.isEmpty()) {
            throw new IllegalArgumentException("a patch step needs at least one stage codebook");
        }
        for (int t = 0; t < stages.size(); t++) {
            if (stages.get(t).dim() != grid.patchDim()) {
                throw new IllegalArgumentException("stage " + t + " codebook dim " + stages.get(t).dim()
                        + " does not match patch dim " + grid.patchDim() + " of " + grid.patch() + "x" + grid.patch()
                        + " RGB patches");
            }
        }
        long residualBytes = 2L * grid.patches() * grid.patchDim();
        if (residualBytes > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("frame " + grid.width() + "x" + grid.height() + " at patch " + grid.patch()
                    + " is too large to tokenize in one pass");
        }
    }

    /** Patches per frame, n. */
    public int patches() {
        return grid.patches();
    }
}
