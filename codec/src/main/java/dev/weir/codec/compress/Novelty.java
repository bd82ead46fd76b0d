package dev.weir.codec.compress;

/**
 * A modality's measure of novelty (for video, STC's dual-anchor score), computed only for the candidates a
 * pruner asks about and only when it asks: most units need no pruning.
 */
@FunctionalInterface
public interface Novelty {

    /** The novelty of each of {@code candidates}, higher is newer: {@code result[r]} is that of {@code candidates[r]}. */
    double[] of(int[] candidates);
}
