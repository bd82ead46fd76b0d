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
 * <p>Instances hold device resources (buffers, compiled programs) and are not thread-safe: one per
 * stream task. Obtain one from {@link Kernels}.
 */
public interface VideoKernels extends AutoCloseable {

    /** Backend name and device, for example {@code jvm} or {@code opencl:NVIDIA H100 80GB HBM3}. */
    String backend();

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
    void patchify(byte[] rgb, FrameGeometry geometry, int dcBits, int[] dcCodes, short[] residuals);

    /**
     * Nearest codebook entry of each vector, by squared Euclidean distance expanded as
     * ‖x − 2^s q_j‖² = ‖x‖² − 2^(s+1)·x·q_j + 2^(2s)·‖q_j‖², which orders j the same as
     * <pre>
     *   score_j(x) = 2^s·‖q_j‖² − 2·x·q_j                            (exact, 64-bit)
     * </pre>
     * {@code indices[v]} = argmin_j score_j(x_v), ties to the lower j.
     *
     * @param vectors  count·d components (for example residuals of {@link #patchify}), |x| ≤ 2047
     * @param rows     which vectors to search: {@code vectors[rows[r]·d ...]}; null means 0..count−1
     * @param count    number of vectors to search (length of rows when rows is given)
     * @param indices  out: count indices, in the order of rows
     */
    void nearest(short[] vectors, int[] rows, int count, ShapeCodebook codebook, int[] indices);

    /**
     * Subtract the chosen entries from the vectors in place, for residual (RVQ) stages:
     * x_v ← x_v − 2^s·q_{indices[v]}, over the same rows as {@link #nearest}.
     */
    void subtract(short[] vectors, int[] rows, int count, ShapeCodebook codebook, int[] indices);

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
    void reconstruct(byte[] frame, FrameGeometry geometry, int dcBits, int[] patchIds, int count,
                     int[] dcCodes, int[] shapeIds, ShapeCodebook[] codebooks);

    /**
     * Per-patch squared error between two RGB24 frames of the same geometry (the cacher's change
     * measure): {@code out[i] = Σ_{pixels of patch i inside the frame} Σ_c (a − b)²}.
     */
    void patchSquaredError(byte[] a, byte[] b, FrameGeometry geometry, long[] out);

    /** Σ (a − b)² over all bytes: the PSNR reduction. */
    long squaredError(byte[] a, byte[] b, int length);

    /**
     * Why this backend was chosen, when it was chosen automatically (for example
     * {@code no OpenCL GPU: PoCL CPU device only}); empty when the backend was asked for by name.
     */
    default String selectionReason() {
        return "";
    }

    /**
     * Prepares {@code codebook} now (packing, upload) and keeps it resident until {@link #release} or
     * {@link #close()}. Optional: backends prepare codebooks on first use anyway and cache them while
     * the codebook is reachable; {@link ExecutionPlan} calls this for {@link Residency#PERSISTENT} codebooks.
     */
    default void retain(ShapeCodebook codebook) {
    }

    /** Undoes one {@link #retain}. */
    default void release(ShapeCodebook codebook) {
    }

    /**
     * Exact terms of the cosine between vector v of {@code a} and vector v of {@code b}, the novelty
     * measure of the frame step (1 − cos, after STC): for v in 0..count−1, over the d = {@code dim}
     * components at {@code a[aOffset + v·d ...]} and {@code b[bOffset + v·d ...]}, |components| ≤ 2047,
     * <pre>
     *   dot[v] = Σ a·b      normA[v] = Σ a²      normB[v] = Σ b²        (exact, 64-bit)
     * </pre>
     * The cosine {@code dot / sqrt(normA·normB)} is then computed by the caller from these integers, so
     * it is the same on every backend.
     */
    default void cosineTerms(short[] a, int aOffset, short[] b, int bOffset, int count, int dim,
                             long[] dot, long[] normA, long[] normB) {
        for (int v = 0; v < count; v++) {
            long ab = 0;
            long aa = 0;
            long bb = 0;
            for (int k = 0; k < dim; k++) {
                int x = a[aOffset + v * dim + k];
                int y = b[bOffset + v * dim + k];
                ab += x * y;
                aa += x * x;
                bb += y * y;
            }
            dot[v] = ab;
            normA[v] = aa;
            normB[v] = bb;
        }
    }

    @Override
    void close();

    /** Centre of DC bin {@code code} at {@code dcBits} bits: the value the decoder paints. */
    static int dcValue(int code, int dcBits) {
        int shift = 8 - dcBits;
        return shift == 0 ? code : (code << shift) + (1 << (shift - 1));
    }
}
