package dev.weir.kernels.internals;

import dev.weir.kernels.PatchGrid;
import dev.weir.kernels.VideoKernels;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorSpecies;

import java.util.Arrays;

import static jdk.incubator.vector.VectorOperators.ADD;
import static jdk.incubator.vector.VectorOperators.ZERO_EXTEND_B2I;
import static jdk.incubator.vector.VectorOperators.ZERO_EXTEND_B2S;

/**
 * The {@code jvm} backend's kernels over RGB24 bytes ({@link VideoKernels#patchify},
 * {@link VideoKernels#patchSquaredError}, {@link VideoKernels#squaredError}) with the Java Vector API.
 * Arguments are checked by the caller.
 *
 * <p>Bytes are read in chunks of 8 and zero-extended to 16-bit lanes (sums, residuals) or 32-bit lanes
 * (squared differences), so all arithmetic is exact integer arithmetic and the results are the scalar
 * reference's, bit for bit. A patch row is 3P bytes, a multiple of 24 for every P: whole periods of three
 * chunks, whose lane i holds channel (8j + i) mod 3 for chunk j = 0, 1, 2. Rows are walked a period at a
 * time with one vector per chunk position, so every such vector has a fixed channel pattern. The shapes are
 * fixed by the 8-byte chunk (64-bit bytes, 128-bit shorts, 256-bit ints), not by the preferred species: a
 * wider chunk would not divide the 24-byte patch rows of P = 8.
 *
 * <p>Frames are read row by row, a band of P rows at a time: reading a patch at a time would stream P
 * rows at once, which defeats the hardware prefetcher for P = 32 (measured 2x slower on 1920-pixel rows).
 *
 * <p>Vector code is written out in each loop rather than through small helpers returning vectors: in a
 * large compiled method such a helper may not be inlined, and its vectors are then boxed.
 */
final class JvmPixelKernels {

    /** Bytes per chunk. */
    private static final int CHUNK = 8;
    /** Bytes per channel period of chunks: 3 chunks of 8 cover whole pixels. */
    private static final int PERIOD = 3 * CHUNK;
    private static final VectorSpecies<Byte> B = ByteVector.SPECIES_64;
    private static final VectorSpecies<Short> S = ShortVector.SPECIES_128;
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_256;
    /** Bytes per block of {@link #squaredError}: a block's int sum stays below 2^31 (16384·255² < 2^31). */
    private static final int ERROR_BLOCK = 16384;

    private JvmPixelKernels() {
    }

    /** See {@link VideoKernels#patchify}; arguments already checked. */
    static void patchify(byte[] rgb, PatchGrid g, int dcBits, int[] dcCodes, short[] residuals) {
        int p = g.patch();
        int rowLen = 3 * p;
        int rowBytes = 3 * g.width();
        int columns = g.columns();
        int insideColumns = g.width() / p; // columns whose patches do not cross the right edge
        int log2Area = 2 * Integer.numberOfTrailingZeros(p);
        int half = 1 << (log2Area - 1);
        int shift = 8 - dcBits;
        // Per column, the lane sums of its three chunk positions over the rows added so far.
        short[] lanes = new short[columns * PERIOD];
        short[] dcPattern = new short[PERIOD];
        byte[] edge = new byte[p * rowLen];
        for (int band = 0; band < g.rows(); band++) {
            int y0 = band * p;
            boolean insideBand = y0 + p <= g.height();
            Arrays.fill(lanes, (short) 0);
            if (insideBand) {
                for (int y = y0; y < y0 + p; y++) {
                    addRows(rgb, y * rowBytes, insideColumns, rowLen, lanes, 0);
                }
            }
            for (int col = 0; col < columns; col++) {
                int i = band * columns + col;
                int l = col * PERIOD;
                byte[] src = rgb;
                int base = y0 * rowBytes + col * rowLen;
                int stride = rowBytes;
                if (!insideBand || col >= insideColumns) {
                    // Edge patch: copy it with the last row and column replicated, then treat it like the others.
                    gatherEdgePatch(rgb, g, y0, col * p, edge);
                    src = edge;
                    base = 0;
                    stride = rowLen;
                    for (int py = 0; py < p; py++) {
                        addRows(edge, py * rowLen, 1, rowLen, lanes, l);
                    }
                }
                // Σ_c = the lane sums at the period positions k ≡ c (mod 3)
                int s0 = 0;
                int s1 = 0;
                int s2 = 0;
                for (int k = 0; k < PERIOD; k += 3) {
                    s0 += lanes[l + k];
                    s1 += lanes[l + k + 1];
                    s2 += lanes[l + k + 2];
                }
                // mean_c = floor((Σ_c + P²/2) / P²), code_c = mean_c >> (8 − dcBits); P² = 2^log2Area
                int c0 = ((s0 + half) >> log2Area) >> shift;
                int c1 = ((s1 + half) >> log2Area) >> shift;
                int c2 = ((s2 + half) >> log2Area) >> shift;
                dcCodes[3 * i] = c0;
                dcCodes[3 * i + 1] = c1;
                dcCodes[3 * i + 2] = c2;
                short v0 = (short) VideoKernels.dcValue(c0, dcBits);
                short v1 = (short) VideoKernels.dcValue(c1, dcBits);
                short v2 = (short) VideoKernels.dcValue(c2, dcBits);
                for (int k = 0; k < PERIOD; k += 3) {
                    dcPattern[k] = v0;
                    dcPattern[k + 1] = v1;
                    dcPattern[k + 2] = v2;
                }
                subtractDc(src, base, stride, p, dcPattern, residuals, i * g.patchDim());
            }
        }
    }

    /**
     * Adds {@code count} consecutive patch rows of {@code rowLen} bytes at {@code src[o]} into the lane sums of
     * {@code count} columns at {@code lanes[l]}, {@link #PERIOD} shorts per column. A lane adds P/8 bytes per
     * row over P rows, so it stays ≤ (P/8)·P·255 ≤ 4·32·255 = 32640 < 2^15.
     */
    private static void addRows(byte[] src, int o, int count, int rowLen, short[] lanes, int l) {
        for (int col = 0; col < count; col++) {
            int from = o + col * rowLen;
            int at = l + col * PERIOD;
            ShortVector a0 = ShortVector.fromArray(S, lanes, at);
            ShortVector a1 = ShortVector.fromArray(S, lanes, at + CHUNK);
            ShortVector a2 = ShortVector.fromArray(S, lanes, at + 2 * CHUNK);
            for (int x = from; x < from + rowLen; x += PERIOD) {
                a0 = a0.add(ByteVector.fromArray(B, src, x).convertShape(ZERO_EXTEND_B2S, S, 0).reinterpretAsShorts());
                a1 = a1.add(ByteVector.fromArray(B, src, x + CHUNK).convertShape(ZERO_EXTEND_B2S, S, 0)
                        .reinterpretAsShorts());
                a2 = a2.add(ByteVector.fromArray(B, src, x + 2 * CHUNK).convertShape(ZERO_EXTEND_B2S, S, 0)
                        .reinterpretAsShorts());
            }
            a0.intoArray(lanes, at);
            a1.intoArray(lanes, at + CHUNK);
            a2.intoArray(lanes, at + 2 * CHUNK);
        }
    }

    /**
     * r[k] = pixel(k) − value_{k mod 3} for the P×P patch at {@code src[base]}, its rows {@code stride} bytes
     * apart, written row after row at {@code out[dst]}; {@code dcPattern[k]} is value_{k mod 3} for k in 0..23.
     */
    private static void subtractDc(byte[] src, int base, int stride, int p, short[] dcPattern, short[] out, int dst) {
        ShortVector v0 = ShortVector.fromArray(S, dcPattern, 0);
        ShortVector v1 = ShortVector.fromArray(S, dcPattern, CHUNK);
        ShortVector v2 = ShortVector.fromArray(S, dcPattern, 2 * CHUNK);
        int rowLen = 3 * p;
        for (int py = 0; py < p; py++) {
            int o = base + py * stride;
            int r = dst + py * rowLen;
            for (int x = 0; x < rowLen; x += PERIOD) {
                ByteVector.fromArray(B, src, o + x).convertShape(ZERO_EXTEND_B2S, S, 0).reinterpretAsShorts()
                        .sub(v0).intoArray(out, r + x);
                ByteVector.fromArray(B, src, o + x + CHUNK).convertShape(ZERO_EXTEND_B2S, S, 0).reinterpretAsShorts()
                        .sub(v1).intoArray(out, r + x + CHUNK);
                ByteVector.fromArray(B, src, o + x + 2 * CHUNK).convertShape(ZERO_EXTEND_B2S, S, 0)
                        .reinterpretAsShorts().sub(v2).intoArray(out, r + x + 2 * CHUNK);
            }
        }
    }

    /** Copies a patch that crosses the frame edge, replicating the last row and column. */
    private static void gatherEdgePatch(byte[] rgb, PatchGrid g, int y0, int x0, byte[] patch) {
        int p = g.patch();
        for (int py = 0; py < p; py++) {
            int y = Math.min(y0 + py, g.height() - 1);
            for (int px = 0; px < p; px++) {
                int s = (y * g.width() + Math.min(x0 + px, g.width() - 1)) * 3;
                int o = (py * p + px) * 3;
                patch[o] = rgb[s];
                patch[o + 1] = rgb[s + 1];
                patch[o + 2] = rgb[s + 2];
            }
        }
    }

    /** See {@link VideoKernels#patchSquaredError}; arguments already checked. */
    static void patchSquaredError(byte[] a, byte[] b, PatchGrid g, long[] out) {
        int p = g.patch();
        int rowLen = 3 * p;
        int rowBytes = g.width() * 3;
        int columns = g.columns();
        // out[i] = Σ (a − b)² over patch i: ≤ P²·3·255² < 2^31, so int lanes and an int sum suffice.
        // Row by row over each band; the lane sums of column col are kept at lanes[8·col].
        int[] lanes = new int[columns * CHUNK];
        int vectorEnd = rowBytes - rowBytes % CHUNK; // columns start at multiples of 24: only the last one has a tail
        for (int band = 0; band < g.rows(); band++) {
            Arrays.fill(lanes, 0);
            int tail = 0; // the bytes after the last whole chunk of each row, all in the last column
            int y0 = band * p;
            for (int y = y0; y < Math.min(y0 + p, g.height()); y++) {
                int o = y * rowBytes;
                for (int col = 0; col < columns; col++) {
                    int from = col * rowLen;
                    int to = Math.min(vectorEnd, from + rowLen);
                    IntVector e = IntVector.fromArray(I, lanes, col * CHUNK);
                    for (int k = o + from; k < o + to; k += CHUNK) {
                        IntVector va = ByteVector.fromArray(B, a, k).convertShape(ZERO_EXTEND_B2I, I, 0).reinterpretAsInts();
                        IntVector vb = ByteVector.fromArray(B, b, k).convertShape(ZERO_EXTEND_B2I, I, 0).reinterpretAsInts();
                        IntVector diff = va.sub(vb);
                        e = e.add(diff.mul(diff));
                    }
                    e.intoArray(lanes, col * CHUNK);
                }
                for (int x = vectorEnd; x < rowBytes; x++) {
                    int diff = (a[o + x] & 0xFF) - (b[o + x] & 0xFF);
                    tail += diff * diff;
                }
            }
            for (int col = 0; col < columns; col++) {
                out[band * columns + col] = IntVector.fromArray(I, lanes, col * CHUNK).reduceLanes(ADD);
            }
            out[band * columns + columns - 1] += tail;
        }
    }

    /** See {@link VideoKernels#squaredError}; arguments already checked. */
    static long squaredError(byte[] a, byte[] b, int length) {
        long sum = 0;
        int vectorEnd = length - length % CHUNK;
        for (int from = 0; from < vectorEnd; from += ERROR_BLOCK) {
            int to = Math.min(vectorEnd, from + ERROR_BLOCK);
            IntVector e = IntVector.zero(I); // Σ (a − b)² over one block: < 2^31
            for (int k = from; k < to; k += CHUNK) {
                IntVector va = ByteVector.fromArray(B, a, k).convertShape(ZERO_EXTEND_B2I, I, 0).reinterpretAsInts();
                IntVector vb = ByteVector.fromArray(B, b, k).convertShape(ZERO_EXTEND_B2I, I, 0).reinterpretAsInts();
                IntVector diff = va.sub(vb);
                e = e.add(diff.mul(diff));
            }
            sum += e.reduceLanes(ADD);
        }
        for (int k = vectorEnd; k < length; k++) {
            int diff = (a[k] & 0xFF) - (b[k] & 0xFF);
            sum += diff * diff;
        }
        return sum;
    }
}
