package dev.weir.kernels;

import java.util.Objects;

/**
 * The shape of a video stream's per-frame kernel work, fixed for the life of a {@link FrameStepPlan}.
 *
 * @param geometry       frame size and patch side
 * @param dcBits         bits per channel of the quantized DC (1..8), see {@link VideoKernels#patchify}
 * @param keepFraction   share of patches kept by novelty, (0, 1]; k = floor(keepFraction · n)
 * @param batch          frames per execution, 1..{@link #MAX_BATCH}: batch small frames so a GPU is not launch-bound
 * @param codebook       shape codebook the kept patches are searched in; its dim must be geometry.patchDim()
 * @param trackReference when true, each frame becomes the novelty reference of the next one; when false
 *                       the reference stays as set by {@link FrameStepPlan#reference(short[])}
 */
public record FrameStepSpec(PatchGrid geometry, int dcBits, double keepFraction, int batch,
                            ShapeCodebook codebook, boolean trackReference) {

    public static final int MAX_BATCH = 256;

    public FrameStepSpec {
        Objects.requireNonNull(geometry, "geometry");
        Objects.requireNonNull(codebook, "codebook");
        if (dcBits < 1 || dcBits > 8) {
            throw new IllegalArgumentException("dcBits must be 1..8: " + dcBits);
        }
        if (!(keepFraction > 0 && keepFraction <= 1)) {
            throw new IllegalArgumentException("keepFraction must be in (0, 1]: " + keepFraction);
        }
        if (batch < 1 || batch > MAX_BATCH) {
            throw new IllegalArgumentException("batch must be 1.." + MAX_BATCH + ": " + batch);
        }
        if (codebook.dim() != geometry.patchDim()) {
            throw new IllegalArgumentException("codebook dim " + codebook.dim() + " does not match patch dim "
                    + geometry.patchDim() + " of " + geometry.patch() + "x" + geometry.patch() + " RGB patches");
        }
        long residualBytes = 2L * batch * geometry.patches() * geometry.patchDim();
        if (residualBytes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("batch " + batch + " of " + geometry.width() + "x" + geometry.height()
                    + " frames needs " + residualBytes + " bytes of residuals; use a smaller batch");
        }
    }

    /** Patches kept per frame: floor(keepFraction · n), as torch.topk(int(keep·n)) in the reference. */
    public int keptPerFrame() {
        return (int) (keepFraction * geometry.patches());
    }
}
