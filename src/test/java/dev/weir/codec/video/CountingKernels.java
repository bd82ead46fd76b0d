package dev.weir.codec.video;

import dev.weir.kernels.ForwardingVideoKernels;
import dev.weir.kernels.ShapeCodebook;
import dev.weir.kernels.VideoKernels;

/**
 * Real kernels that also count the vectors each codebook search was asked for, so a test can see
 * which work the cacher skipped. Every call goes to the wrapped backend unchanged.
 */
final class CountingKernels extends ForwardingVideoKernels {

    private long searchedVectors;
    private int[] lastRows;

    CountingKernels(VideoKernels real) {
        super(real);
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
    public void nearest(short[] vectors, int[] rows, int count, ShapeCodebook codebook, int[] indices) {
        searchedVectors += count;
        lastRows = rows == null ? java.util.stream.IntStream.range(0, count).toArray() : java.util.Arrays.copyOf(rows, count);
        real.nearest(vectors, rows, count, codebook, indices);
    }
}
