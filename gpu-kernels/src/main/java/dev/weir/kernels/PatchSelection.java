package dev.weir.kernels;

import java.util.Objects;

/**
 * The host's decision for one frame of a {@link PatchStepPlan}: which patches are tokenized (searched in every
 * stage codebook) and which of those are sent, i.e. painted onto the reference picture as the decoder will
 * paint them. Usually the same positions; a step without a cacher tokenizes every patch and sends only the kept.
 *
 * @param searched patch positions to tokenize, strictly ascending
 * @param sent     patch positions to send, strictly ascending, each also in {@code searched}
 */
public record PatchSelection(int[] searched, int[] sent) {

    public PatchSelection {
        Objects.requireNonNull(searched, "searched");
        Objects.requireNonNull(sent, "sent");
    }

    /** Tokenize and send the same positions. */
    public static PatchSelection of(int[] positions) {
        return new PatchSelection(positions, positions);
    }

    /**
     * For each sent position, its row in {@code searched}; checks that both lists are strictly ascending, lie in
     * {@code [0, patches)} and that every sent position is searched.
     *
     * @throws IllegalArgumentException when they do not
     */
    public int[] sentRows(int patches) {
        ascending("searched", searched, patches);
        ascending("sent", sent, patches);
        int[] rows = new int[sent.length];
        int s = 0;
        for (int r = 0; r < sent.length; r++) {
            while (s < searched.length && searched[s] < sent[r]) {
                s++;
            }
            if (s == searched.length || searched[s] != sent[r]) {
                throw new IllegalArgumentException("sent position " + sent[r] + " is not searched");
            }
            rows[r] = s;
        }
        return rows;
    }

    private static void ascending(String name, int[] positions, int patches) {
        int previous = -1;
        for (int p : positions) {
            if (p <= previous || p >= patches) {
                throw new IllegalArgumentException(name + " positions must be strictly ascending in [0, " + patches
                        + "), found " + p + " after " + previous);
            }
            previous = p;
        }
    }
}
