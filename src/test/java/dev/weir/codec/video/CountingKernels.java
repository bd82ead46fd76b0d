package dev.weir.codec.video;

import dev.weir.kernels.FrameGeometry;
import dev.weir.kernels.ShapeCodebook;
import dev.weir.kernels.VideoKernels;

/**
 * Real kernels that also count the vectors each codebook search was asked for, so a test can see
 * which work the cacher skipped. Every call goes to the wrapped backend unchanged.
 */
final class CountingKernels implements VideoKernels {

    private final VideoKernels real;
    private long searchedVectors;
    private int[] lastRows;

    CountingKernels(VideoKernels real) {
        this.real = real;
    }

    /** Vectors passed to {@code nearest} since the last {@link #reset()} (over all stages). */
    long searchedVectors() {
        return searchedVectors;
    }

    /** The rows of the last {@code nearest} call (all 0..count−1 when it passed none). */
    int[] lastRows() {
        return lastRows;
    }

    void reset() {
        searchedVectors = 0;
        lastRows = null;
    }

    @Override
    public String backend() {
        return real.backend();
    }

    @Override
    public void patchify(byte[] rgb, FrameGeometry geometry, int dcBits, int[] dcCodes, short[] residuals) {
        real.patchify(rgb, geometry, dcBits, dcCodes, residuals);
    }

    @Override
    public void nearest(short[] vectors, int[] rows, int count, ShapeCodebook codebook, int[] indices) {
        searchedVectors += count;
        lastRows = rows == null ? java.util.stream.IntStream.range(0, count).toArray() : java.util.Arrays.copyOf(rows, count);
        real.nearest(vectors, rows, count, codebook, indices);
    }

    @Override
    public void subtract(short[] vectors, int[] rows, int count, ShapeCodebook codebook, int[] indices) {
        real.subtract(vectors, rows, count, codebook, indices);
    }

    @Override
    public void reconstruct(byte[] frame, FrameGeometry geometry, int dcBits, int[] patchIds, int count, int[] dcCodes,
                            int[] shapeIds, ShapeCodebook[] codebooks) {
        real.reconstruct(frame, geometry, dcBits, patchIds, count, dcCodes, shapeIds, codebooks);
    }

    @Override
    public void patchSquaredError(byte[] a, byte[] b, FrameGeometry geometry, long[] out) {
        real.patchSquaredError(a, b, geometry, out);
    }

    @Override
    public long squaredError(byte[] a, byte[] b, int length) {
        return real.squaredError(a, b, length);
    }

    @Override
    public void close() {
        real.close();
    }
}
