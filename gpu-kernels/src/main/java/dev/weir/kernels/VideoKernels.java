package dev.weir.kernels;

/**
 * The video hot path as a set of kernels. Every kernel is defined by exact integer arithmetic, so
 * every backend ({@code jvm-scalar}, {@code jvm}, {@code opencl}) must return identical results;
 * a backend may use float32 internally only where it can prove every intermediate value is an
 * integer below 2^24 in magnitude.
 *
 * <p>Layouts. Frames are RGB24, rows top to bottom. Patch i covers the pixels of grid cell
 * (i / columns, i % columns); outside the frame, pixel (y, x) reads (min(y, H−1), min(x, W−1)).
 * A patch vector has d = P·P·3 components, component (py·P + px)·3 + c for channel c.
 *
 * <p>The pixel kernels of the video codec on top of the {@link VectorKernels} every modality shares.
 * Instances hold device resources (buffers, compiled programs) and are not thread-safe: one per
 * stream task. Obtain one from {@link Kernels#video}.
 */
public interface VideoKernels extends VectorKernels {

    /**
     * Patchify and DC removal. For each patch i and channel c:
     * <pre>
     *   mean_c  = floor((Σ pixels_c + P²/2) / P²)                 rounded mean, 0..255
     *   code_c  = mean_c >> (8 − dcBits)                          quantized DC, 0..2^dcBits − 1
     *   value_c = dcValue(code_c, dcBits)                         centre of the quantization bin
     *   r[k]    = pixel_c(k) − value_c                            mean-removed residual, −255..255
     * </pre>
     *
     * @param rgb       frame, {@code geometry.rgbBytes()} bytes
     * @param dcBits    bits per channel of the quantized DC, 1..8
     * @param dcCodes   out: n·3 codes, patch i at {@code [3i, 3i+3)} in R, G, B order
     * @param residuals out: n·d residuals, patch i at {@code [i·d, (i+1)·d)}
     */
    void patchify(byte[] rgb, PatchGrid geometry, int dcBits, int[] dcCodes, short[] residuals);

    /**
     * Decode (gather + DC): write patches into an RGB24 frame. For each listed patch i,
     * pixel_c(k) = clamp(dcValue(code_c, dcBits) + Σ_stages 2^s·q_{stage, token}[k], 0, 255), for the
     * pixels of patch i that lie inside the frame. Other pixels of {@code frame} are left as they are.
     *
     * @param patchIds  which patches to write
     * @param count     how many of patchIds
     * @param dcCodes   3 codes per listed patch, in the order of patchIds
     * @param shapeIds  stages·count indices: stage t of listed patch r at {@code [t·count + r]}
     * @param codebooks one codebook per stage
     */
    void reconstruct(byte[] frame, PatchGrid geometry, int dcBits, int[] patchIds, int count,
                     int[] dcCodes, int[] shapeIds, ShapeCodebook[] codebooks);

    /**
     * Per-patch squared error between two RGB24 frames of the same geometry (the cacher's change
     * measure): {@code out[i] = Σ_{pixels of patch i inside the frame} Σ_c (a − b)²}.
     */
    void patchSquaredError(byte[] a, byte[] b, PatchGrid geometry, long[] out);

    /** Centre of DC bin {@code code} at {@code dcBits} bits: the value the decoder paints. */
    static int dcValue(int code, int dcBits) {
        int shift = 8 - dcBits;
        return shift == 0 ? code : (code << shift) + (1 << (shift - 1));
    }
}
