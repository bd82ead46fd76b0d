package dev.weir.codec.video.internals;

import dev.weir.codec.MediaFormatException;
import dev.weir.codec.SnapshotFormatException;
import dev.weir.codec.video.VideoTokenLayout;
import dev.weir.kernels.PatchGrid;
import dev.weir.kernels.ShapeCodebook;
import dev.weir.kernels.VideoKernels;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The tokens a decoder last painted at every position of the frame: the whole picture a decoder holds,
 * in a few bytes per patch. {@link #paint} rebuilds that picture exactly (each patch is written from
 * its own tokens only), which is what makes state snapshots compact: they store this grid, not RGB.
 *
 * <p>Serialized form: per position a 4-byte stage-0 token ({@link #UNPAINTED} = never painted, black),
 * then one unsigned 2-byte token per residual stage.
 */
final class TokenGrid {

    /** Stage-0 value of a position no packet has painted yet (the decoder shows black there). */
    static final int UNPAINTED = -1;

    private final int positions;
    private final int stages;
    private final int[] tokens;

    TokenGrid(int positions, int stages) {
        this.positions = positions;
        this.stages = stages;
        this.tokens = new int[positions * stages];
        Arrays.fill(tokens, UNPAINTED);
    }

    int positions() {
        return positions;
    }

    /** Stage {@code stage} token at {@code position}. */
    int token(int position, int stage) {
        return tokens[position * stages + stage];
    }

    void set(int position, int stage, int token) {
        tokens[position * stages + stage] = token;
    }

    boolean painted(int position) {
        return tokens[position * stages] != UNPAINTED;
    }

    /** Serialized size in bytes of a grid of {@code positions} patches at {@code stages} tokens each. */
    static long serializedBytes(int positions, int stages) {
        return (long) positions * (4 + 2L * (stages - 1));
    }

    void write(ByteBuffer out) {
        for (int i = 0; i < positions; i++) {
            out.putInt(tokens[i * stages]);
            for (int t = 1; t < stages; t++) {
                out.putShort((short) tokens[i * stages + t]);
            }
        }
    }

    /** Reads a grid written by {@link #write}, checking every token against {@code layout}. */
    static TokenGrid read(ByteBuffer in, int positions, VideoTokenLayout layout) {
        int stages = layout.stages();
        TokenGrid grid = new TokenGrid(positions, stages);
        for (int i = 0; i < positions; i++) {
            int token0 = in.getInt();
            int[] residual = new int[stages];
            for (int t = 1; t < stages; t++) {
                residual[t] = Short.toUnsignedInt(in.getShort());
            }
            if (token0 == UNPAINTED) {
                continue;
            }
            try {
                layout.check(0, token0);
                grid.set(i, 0, token0);
                for (int t = 1; t < stages; t++) {
                    layout.check(t, residual[t]);
                    grid.set(i, t, residual[t]);
                }
            } catch (MediaFormatException e) {
                throw new SnapshotFormatException("video state snapshot position " + i + ": " + e.getMessage());
            }
        }
        return grid;
    }

    /**
     * Paints every painted position of the grid onto {@code frame} (others are left as they are) with the
     * kernels' {@code reconstruct}: the same call, on the same tokens, as the decoder made.
     */
    void paint(byte[] frame, PatchGrid g, VideoTokenLayout layout, int dcBits, ShapeCodebook[] codebooks,
               VideoKernels kernels) {
        int count = 0;
        for (int i = 0; i < positions; i++) {
            if (painted(i)) {
                count++;
            }
        }
        int[] ids = new int[count];
        int[] dc = new int[3 * count];
        int[] shapes = new int[stages * count];
        int r = 0;
        for (int i = 0; i < positions; i++) {
            if (!painted(i)) {
                continue;
            }
            int token0 = token(i, 0);
            ids[r] = i;
            for (int c = 0; c < 3; c++) {
                dc[3 * r + c] = layout.dcCode(token0, c);
            }
            shapes[r] = layout.shape(token0);
            for (int t = 1; t < stages; t++) {
                shapes[t * count + r] = token(i, t);
            }
            r++;
        }
        kernels.reconstruct(frame, g, dcBits, ids, count, dc, shapes, codebooks);
    }
}
