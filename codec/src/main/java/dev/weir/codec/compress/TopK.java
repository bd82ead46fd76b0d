package dev.weir.codec.compress;

import java.util.Arrays;

/** Top-k selection, the pruner's last step: the k best-scored candidates, as a sorted set of positions. */
public final class TopK {

    private TopK() {
    }

    /**
     * The {@code k} candidates of highest score, ascending by position: {@code scores[r]} is the score of
     * {@code candidates[r]}, candidates are ascending, and equal scores go to the lower position (a stable
     * order, so the choice is the same on every run and backend).
     */
    public static int[] highest(int[] candidates, double[] scores, int k) {
        int count = candidates.length;
        Integer[] order = new Integer[count];
        for (int r = 0; r < count; r++) {
            order[r] = r;
        }
        Arrays.sort(order, (a, b) -> scores[a] != scores[b] ? Double.compare(scores[b], scores[a]) : Integer.compare(a, b));
        int[] kept = new int[Math.max(0, Math.min(k, count))];
        for (int r = 0; r < kept.length; r++) {
            kept[r] = candidates[order[r]];
        }
        Arrays.sort(kept);
        return kept;
    }
}
