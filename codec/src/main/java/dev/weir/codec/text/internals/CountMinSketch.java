package dev.weir.codec.text.internals;

import dev.weir.codec.SnapshotFormatException;

/**
 * A count-min sketch (Cormode and Muthukrishnan, "An Improved Data Stream Summary: The Count-Min
 * Sketch and its Applications", 2005): {@code depth} rows of {@code width} counters, one hash per row;
 * an item's count is estimated by the smallest of its counters, which never underestimates. Fixed
 * size whatever the stream. To follow a drifting stream and keep counters small, every counter is
 * halved (rounding down) when the total reaches {@value #AGE_AT}.
 */
final class CountMinSketch {

    static final long AGE_AT = 1L << 22;
    private static final long[] SEEDS = {
            0x9E3779B97F4A7C15L, 0xC2B2AE3D27D4EB4FL, 0x165667B19E3779F9L, 0xD6E8FEB86659FD93L,
            0xFF51AFD7ED558CCDL, 0xC4CEB9FE1A85EC53L, 0x27D4EB2F165667C5L, 0x94D049BB133111EBL};

    private final int width;
    private final int depth;
    private final int shift;
    private final int[] counters;
    private long total;

    CountMinSketch(int width, int depth) {
        this.width = width;
        this.depth = depth;
        this.shift = 64 - Integer.numberOfTrailingZeros(width);
        this.counters = new int[width * depth];
    }

    void add(long item) {
        for (int r = 0; r < depth; r++) {
            counters[r * width + index(item, r)]++;
        }
        if (++total >= AGE_AT) {
            for (int i = 0; i < counters.length; i++) {
                counters[i] >>>= 1;
            }
            total >>>= 1;
        }
    }

    long estimate(long item) {
        int min = Integer.MAX_VALUE;
        for (int r = 0; r < depth; r++) {
            min = Math.min(min, counters[r * width + index(item, r)]);
        }
        return min;
    }

    long total() {
        return total;
    }

    private int index(long item, int row) {
        long h = (item + SEEDS[row]) * SEEDS[(row + 3) & 7];
        h ^= h >>> 29;
        h *= 0xBF58476D1CE4E5B9L;
        return (int) (h >>> shift);
    }

    /** Total, the number of non-zero counters, then each as (gap from the previous one, value) varints. */
    void write(StateOutput out) {
        int nonZero = 0;
        for (int c : counters) {
            nonZero += c != 0 ? 1 : 0;
        }
        out.varint(total).varint(nonZero);
        int previous = -1;
        for (int i = 0; i < counters.length; i++) {
            if (counters[i] != 0) {
                out.varint(i - previous - 1).varint(counters[i]);
                previous = i;
            }
        }
    }

    void read(StateInput in) {
        total = in.varint();
        if (total < 0 || total >= AGE_AT) {
            throw new SnapshotFormatException("text state snapshot: sketch total " + total + " out of range");
        }
        java.util.Arrays.fill(counters, 0);
        int nonZero = in.count(counters.length, "non-zero sketch counters");
        int at = -1;
        for (int k = 0; k < nonZero; k++) {
            at += 1 + in.count(counters.length, "sketch gap");
            if (at >= counters.length) {
                throw new SnapshotFormatException("text state snapshot: sketch counter index " + at + " out of range");
            }
            counters[at] = in.count(Integer.MAX_VALUE, "sketch counter");
        }
    }
}
