package dev.weir.codec.video.internals;

import dev.weir.kernels.PatchGrid;

import java.util.Arrays;

/**
 * STC's dual-anchor novelty (Accelerating Streaming Video LLMs via Hierarchical Token Compression,
 * STC-Pruner): a token is worth sending when it differs from its own past and from the rest of the frame,
 * <pre>
 *   score_i = α·(1 − cos(x_i, temporal_i)) + (1 − α)·(1 − cos(x_i, spatial))
 *   spatial = mean over the frame of x_j (a sum: cosine ignores scale)
 * </pre>
 * with x_i a small integer feature of patch i: the mean colour of each of its 2×2 quarter cells, per
 * channel, minus 128 ({@value #DIMS} signed bytes). temporal_i is a running mean of the features sent at
 * position i: what the decoder has been shown there. The cosines are computed in double from exact
 * integer dot products and norms, so the ranking is the same whatever kernel backend encodes.
 */
final class DualAnchorNovelty {

    /** Feature length: 2×2 cells × 3 channels. */
    static final int DIMS = 12;

    private DualAnchorNovelty() {
    }

    /**
     * Writes the feature of every patch of {@code rgb} to {@code out[i·DIMS ..]}: the rounded mean of
     * each quarter cell per channel, minus 128. Pixels outside the frame read the nearest edge pixel, as in
     * {@link dev.weir.kernels.VideoKernels#patchify}.
     */
    static void features(byte[] rgb, PatchGrid g, byte[] out) {
        int p = g.patch();
        int half = p / 2;
        int cellPixels = half * half;
        int w = g.width();
        int h = g.height();
        int columns = g.columns();
        int[] sums = new int[DIMS];
        for (int i = 0; i < g.patches(); i++) {
            int y0 = (i / columns) * p;
            int x0 = (i % columns) * p;
            Arrays.fill(sums, 0);
            for (int dy = 0; dy < p; dy++) {
                int row = Math.min(y0 + dy, h - 1) * w;
                int cellRow = (dy / half) * 2;
                for (int dx = 0; dx < p; dx++) {
                    int o = (row + Math.min(x0 + dx, w - 1)) * 3;
                    int cell = (cellRow + dx / half) * 3;
                    sums[cell] += rgb[o] & 0xFF;
                    sums[cell + 1] += rgb[o + 1] & 0xFF;
                    sums[cell + 2] += rgb[o + 2] & 0xFF;
                }
            }
            for (int k = 0; k < DIMS; k++) {
                out[i * DIMS + k] = (byte) ((sums[k] + cellPixels / 2) / cellPixels - 128);
            }
        }
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
            score[r] = alpha * (1 - cosine(dotT, normX, normT)) + (1 - alpha) * (1 - cosine(dotS, normX, spatialNorm));
        }
        return score;
    }

    /** cos from exact integer terms; a zero vector has cosine 0 with anything but another zero vector (1). */
    static double cosine(long dot, long normA, long normB) {
        if (normA == 0 || normB == 0) {
            return normA == normB ? 1.0 : 0.0;
        }
        return dot / Math.sqrt((double) normA * (double) normB);
    }
}
