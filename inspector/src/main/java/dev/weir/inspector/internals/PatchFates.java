package dev.weir.inspector.internals;

import dev.weir.avro.TokenBatch;
import dev.weir.avro.VideoGeometry;

/**
 * The fate of every patch of one video frame, from its token batch: {@code k} keyframe (every patch sent), {@code s}
 * sent, {@code r} reused from the cache, {@code p} pruned (changed, dropped by the budget: neither sent nor reused).
 * A string of one letter per patch, row-major, {@code cols × rows} long: what the page's overlay draws.
 *
 * @param cols   patches per row: ⌈width / patch⌉
 * @param rows   patch rows: ⌈height / patch⌉
 * @param fates  one letter per patch
 */
public record PatchFates(int cols, int rows, String fates) {

    public static final char KEYFRAME = 'k';
    public static final char SENT = 's';
    public static final char REUSED = 'r';
    public static final char PRUNED = 'p';

    public PatchFates {
        if (fates.length() != cols * rows) {
            throw new IllegalArgumentException("fates of " + fates.length() + " patches for a " + cols + "×" + rows + " grid");
        }
    }

    /** The fates of {@code batch}, whose layout must be a {@link VideoGeometry}. */
    public static PatchFates of(TokenBatch batch) {
        if (!(batch.getLayout() instanceof VideoGeometry g)) {
            throw new IllegalArgumentException("not a video batch: layout " + batch.getLayout());
        }
        int patch = g.getPatchSize();
        int cols = (g.getWidth() + patch - 1) / patch;
        int rows = (g.getHeight() + patch - 1) / patch;
        char[] cells = new char[cols * rows];
        java.util.Arrays.fill(cells, batch.getKeyframe() ? KEYFRAME : PRUNED);
        if (!batch.getKeyframe()) {
            for (int p : batch.getPositions()) {
                set(cells, p, SENT);
            }
            for (int p : batch.getReusedPositions()) {
                set(cells, p, REUSED);
            }
        }
        return new PatchFates(cols, rows, new String(cells));
    }

    /** How many patches have fate {@code fate}. */
    public int count(char fate) {
        int n = 0;
        for (int i = 0; i < fates.length(); i++) {
            n += fates.charAt(i) == fate ? 1 : 0;
        }
        return n;
    }

    private static void set(char[] cells, int position, char fate) {
        if (position >= 0 && position < cells.length) {
            cells[position] = fate;
        }
    }
}
