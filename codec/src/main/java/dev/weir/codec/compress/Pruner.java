package dev.weir.codec.compress;

/**
 * The pruner (after STC-Pruner): which changed positions a unit keeps under its budget. The encoder asks it
 * for every non-keyframe unit; it measures novelty (its modality's {@link Novelty}) only when it must choose.
 */
@FunctionalInterface
public interface Pruner {

    /**
     * The positions kept, ascending.
     *
     * @param candidates changed positions, ascending
     * @param novelty    the modality's novelty of candidates, computed on demand
     * @param allowed    how many positions the budget allows
     * @param seq        the unit's seq
     */
    int[] keep(int[] candidates, Novelty novelty, int allowed, long seq);

    /** Keeps every candidate when the budget allows, else the {@code allowed} most novel (STC's choice). */
    Pruner MOST_NOVEL = (candidates, novelty, allowed, seq) -> candidates.length <= allowed ? candidates
            : TopK.highest(candidates, novelty.of(candidates), allowed);
}
