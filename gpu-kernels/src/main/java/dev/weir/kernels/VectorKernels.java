package dev.weir.kernels;

/**
 * The vector-quantization kernels every modality can use: nearest codebook entry, residual subtraction,
 * squared error, and codebook residency on the device. Defined by exact integer arithmetic, so every backend
 * ({@code jvm-scalar}, {@code jvm}, {@code opencl}) returns identical results.
 *
 * <p>Instances hold device resources and are not thread-safe: one per stream task. Obtain one from
 * {@link Kernels#vector} (or, with the pixel kernels as well, {@link Kernels#video}).
 */
public interface VectorKernels extends AutoCloseable {

    /** Backend name and device, for example {@code jvm} or {@code opencl:NVIDIA H100 80GB HBM3}. */
    String backend();

    /**
     * Nearest codebook entry of each vector, by squared Euclidean distance expanded as
     * ‖x − 2^s q_j‖² = ‖x‖² − 2^(s+1)·x·q_j + 2^(2s)·‖q_j‖², which orders j the same as
     * <pre>
     *   score_j(x) = 2^s·‖q_j‖² − 2·x·q_j                            (exact, 64-bit)
     * </pre>
     * {@code indices[v]} = argmin_j score_j(x_v), ties to the lower j.
     *
     * @param vectors  count·d components (for example the residuals of {@link VideoKernels#patchify}), |x| ≤ 2047
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

    @Override
    void close();
}
