package dev.weir.kernels.internals;

import java.util.Arrays;

/**
 * Top-k by novelty (after STC's novelty pruning): novelty_i = 1 − cos_i with
 * cos_i = dot_i / sqrt(‖a_i‖²·‖b_i‖²) computed in double from exact integers, so the ranking is the same
 * whichever backend produced the integers. The k most novel patches are kept, ties to the lower index;
 * a patch with a zero vector has cos 0, unless both are zero (identical: cos 1).
 */
public final class NoveltyRanking {

    private final double[] cosine;
    private final int[] order;
    private final int[] scratch;

    public NoveltyRanking(int patches) {
        this.cosine = new double[patches];
        this.order = new int[patches];
        this.scratch = new int[patches];
    }

    /** Writes the k most novel patch indices, ascending, to {@code out[offset ..]}. */
    public void mostNovel(long[] dot, long[] normA, long[] normB, int k, int[] out, int offset) {
        int n = cosine.length;
        for (int i = 0; i < n; i++) {
            cosine[i] = cosine(dot[i], normA[i], normB[i]);
            order[i] = i;
        }
        // Stable sort by cosine ascending (novelty descending): equal cosines keep index order.
        mergeSort(0, n);
        System.arraycopy(order, 0, out, offset, k);
        Arrays.sort(out, offset, offset + k);
    }

    static double cosine(long dot, long normA, long normB) {
        if (normA == 0 || normB == 0) {
            return normA == normB ? 1.0 : 0.0;
        }
        return dot / Math.sqrt((double) normA * (double) normB);
    }

    private void mergeSort(int from, int to) {
        if (to - from < 2) {
            return;
        }
        int mid = (from + to) >>> 1;
        mergeSort(from, mid);
        mergeSort(mid, to);
        if (cosine[order[mid - 1]] <= cosine[order[mid]]) {
            return;
        }
        System.arraycopy(order, from, scratch, from, to - from);
        int i = from;
        int j = mid;
        for (int o = from; o < to; o++) {
            if (j >= to || (i < mid && cosine[scratch[i]] <= cosine[scratch[j]])) {
                order[o] = scratch[i++];
            } else {
                order[o] = scratch[j++];
            }
        }
    }
}
