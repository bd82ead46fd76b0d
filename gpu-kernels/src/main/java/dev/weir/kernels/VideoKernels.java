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

    /** Values per patch of {@link #cellMeans}: 2×2 quarter cells × 3 channels. */
    int CELL_MEANS = 12;

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

    /**
     * Per-patch thumbnail (the video codec's novelty feature, after STC's pruner): for each patch i, each of
     * its 2×2 quarter cells q (row-major) and channel c, with h = P/2,
     * <pre>
     *   out[i·12 + 3q + c] = floor((Σ_{pixels of cell q} pixel_c + h²/2) / h²) − 128     (a signed byte)
     * </pre>
     * Pixels outside the frame read the nearest edge pixel, as in {@link #patchify}.
     *
     * <p>This default is the reference (plain loops); backends may override it with a faster exact version.
     *
     * @param out n·{@value #CELL_MEANS} values
     */
    default void cellMeans(byte[] rgb, PatchGrid g, byte[] out) {
        if (rgb.length != g.rgbBytes() || out.length < (long) g.patches() * CELL_MEANS) {
            throw new IllegalArgumentException("cellMeans needs an RGB24 frame of " + g.rgbBytes() + " bytes and "
                    + (long) g.patches() * CELL_MEANS + " output values, got " + rgb.length + " and " + out.length);
        }
        int p = g.patch();
        int half = p / 2;
        int cellPixels = half * half;
        int[] sums = new int[CELL_MEANS];
        for (int i = 0; i < g.patches(); i++) {
            int y0 = (i / g.columns()) * p;
            int x0 = (i % g.columns()) * p;
            java.util.Arrays.fill(sums, 0);
            for (int dy = 0; dy < p; dy++) {
                int row = Math.min(y0 + dy, g.height() - 1) * g.width();
                int cellRow = (dy / half) * 2;
                for (int dx = 0; dx < p; dx++) {
                    int o = (row + Math.min(x0 + dx, g.width() - 1)) * 3;
                    int cell = (cellRow + dx / half) * 3;
                    for (int c = 0; c < 3; c++) {
                        sums[cell + c] += rgb[o + c] & 0xFF;
                    }
                }
            }
            for (int k = 0; k < CELL_MEANS; k++) {
                out[i * CELL_MEANS + k] = (byte) ((sums[k] + cellPixels / 2) / cellPixels - 128);
            }
        }
    }

    /** How this backend's streams use its accelerator (memory held, fallbacks); {@link DeviceUse#NONE} on the CPU. */
    default DeviceUse deviceUse() {
        return DeviceUse.NONE;
    }

    /** Centre of DC bin {@code code} at {@code dcBits} bits: the value the decoder paints. */
    static int dcValue(int code, int dcBits) {
        int shift = 8 - dcBits;
        return shift == 0 ? code : (code << shift) + (1 << (shift - 1));
    }
}
