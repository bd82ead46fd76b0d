package dev.weir.codec.video.internals;

import dev.weir.codec.compress.Novelty;
import dev.weir.kernels.VideoKernels;

/**
 * STC's dual-anchor novelty (Accelerating Streaming Video LLMs via Hierarchical Token Compression,
 * STC-Pruner): a token is worth sending when it differs from its own past and from the rest of the frame,
 * <pre>
 *   score_i = α·(1 − cos(x_i, temporal_i)) + (1 − α)·(1 − cos(x_i, spatial))
 *   spatial = mean over the frame of x_j (a sum: cosine ignores scale)
 * </pre>
 * with x_i a small integer feature of patch i: the mean colour of each of its 2×2 quarter cells, per
 * channel, minus 128 ({@value #DIMS} signed bytes, the kernels' {@link VideoKernels#cellMeans}, measured in the
 * first phase of the frame step). temporal_i is a running mean of the features sent at
 * position i: what the decoder has been shown there. The cosines are computed in double from exact
 * integer dot products and norms ({@link Novelty#cosine}), so the ranking is the same whatever kernel backend
 * encodes.
 */
final class DualAnchorNovelty {

    /** Feature length: 2×2 cells × 3 channels ({@link VideoKernels#cellMeans}). */
    static final int DIMS = VideoKernels.CELL_MEANS;

    private DualAnchorNovelty() {
    }

    /** Moves the temporal anchor of {@code position} a quarter of the way to {@code features} (exact integers). */
    static void updateAnchor(byte[] anchors, byte[] features, int position) {
        int base = position * DIMS;
        for (int k = 0; k < DIMS; k++) {
            int a = anchors[base + k];
            anchors[base + k] = (byte) (a + (features[base + k] - a) / 4);
        }
    }

    /**
     * The novelty score of each of {@code candidates} (the formula above), in the order given: the pruner
     * keeps the highest ({@link dev.weir.codec.compress.TopK}).
     */
    static double[] scores(byte[] features, byte[] anchors, int patches, double alpha, int[] candidates) {
        long[] spatial = new long[DIMS];
        for (int i = 0; i < patches; i++) {
            for (int k = 0; k < DIMS; k++) {
                spatial[k] += features[i * DIMS + k];
            }
        }
        long spatialNorm = 0;
        for (long s : spatial) {
            spatialNorm += s * s;
        }
        double[] score = new double[candidates.length];
        for (int r = 0; r < candidates.length; r++) {
            int base = candidates[r] * DIMS;
            long dotT = 0;
            long normX = 0;
            long normT = 0;
            long dotS = 0;
            for (int k = 0; k < DIMS; k++) {
                long x = features[base + k];
                long t = anchors[base + k];
                dotT += x * t;
                normX += x * x;
                normT += t * t;
                dotS += x * spatial[k];
            }
            score[r] = alpha * (1 - Novelty.cosine(dotT, normX, normT)) + (1 - alpha) * (1 - Novelty.cosine(dotS, normX, spatialNorm));
        }
        return score;
    }
}
