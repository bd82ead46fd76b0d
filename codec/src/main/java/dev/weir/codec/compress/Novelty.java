package dev.weir.codec.compress;

/**
 * A modality's measure of novelty (for video, STC's dual-anchor score), computed only for the candidates a
 * pruner asks about and only when it asks: most units need no pruning.
 */
@FunctionalInterface
public interface Novelty {

    /** The novelty of each of {@code candidates}, higher is newer: {@code result[r]} is that of {@code candidates[r]}. */
    double[] of(int[] candidates);

    /**
     * The cosine of two integer vectors from their exact integer terms (dot product and squared norms), in
     * double, the same expression on every backend so a ranking by it is the same everywhere: a zero vector has
     * cosine 0 with anything but another zero vector (1).
     */
    static double cosine(long dot, long normA, long normB) {
        if (normA == 0 || normB == 0) {
            return normA == normB ? 1.0 : 0.0;
        }
        return dot / Math.sqrt((double) normA * (double) normB);
    }
}
