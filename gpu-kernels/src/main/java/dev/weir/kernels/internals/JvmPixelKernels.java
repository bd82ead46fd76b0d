package dev.weir.kernels.internals;

import dev.weir.kernels.FrameGeometry;
import dev.weir.kernels.VideoKernels;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The {@code jvm} backend's kernels over RGB24 bytes ({@link VideoKernels#patchify},
 * {@link VideoKernels#patchSquaredError}, {@link VideoKernels#squaredError}) with the Java Vector API.
 * Arguments are checked by the caller.
 *
 * <p>Bytes are read in chunks of 8 and zero-extended to 16-bit lanes (sums, residuals) or 32-bit lanes
 * (squared differences), so all arithmetic is exact integer arithmetic and the results are the scalar
 * reference's, bit for bit. A patch row is 3P bytes, a multiple of 24 for every P: three chunks, whose
 * lane i holds channel (8j + i) mod 3 for chunk j = 0, 1, 2. Each row is therefore walked 24 bytes at a
 * time with one vector per chunk position, and every such vector has a fixed channel pattern.
 */
final class JvmPixelKernels {

    /** Bytes per chunk. */
    private static final int CHUNK = 8;
    /** Bytes per channel period of chunks: 3 chunks of 8 cover whole pixels. */
    private static final int PERIOD = 3 * CHUNK;
    private static final VectorSpecies<Byte> B = ByteVector.SPECIES_64;
    private static final VectorSpecies<Short> S = ShortVector.SPECIES_128;
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_256;
    /**
     * KEEP[c·24 + 8j + i] = −1 (all bits) where lane i of chunk j holds channel c, else 0: ANDed with the
     * chunk sums to keep one channel.
     */
    private static final short[] KEEP = new short[3 * PERIOD];
    /** Bytes per block of {@link #squaredError}: a block's int sum stays below 2^31 (16384·255² < 2^31). */
    private static final int ERROR_BLOCK = 16384;

    static {
        for (int c = 0; c < 3; c++) {
            for (int k = 0; k < PERIOD; k++) {
                KEEP[c * PERIOD + k] = (short) (k % 3 == c ? -1 : 0);
            }
        }
    }

    private JvmPixelKernels() {
    }

    /** See {@link VideoKernels#patchify}; arguments already checked. */
    static void patchify(byte[] rgb, FrameGeometry g, int dcBits, int[] dcCodes, short[] residuals) {
        int p = g.patch();
        int rowLen = 3 * p;
        int log2Area = 2 * Integer.numberOfTrailingZeros(p);
        int shift = 8 - dcBits;
        int[] sums = new int[3];
        short[] dcPattern = new short[PERIOD];
        byte[] edge = new byte[p * rowLen];
        for (int i = 0; i < g.patches(); i++) {
            int y0 = (i / g.columns()) * p;
            int x0 = (i % g.columns()) * p;
            byte[] src;
            int base;
            int stride;
            if (y0 + p <= g.height() && x0 + p <= g.width()) {
                src = rgb;
                base = (y0 * g.width() + x0) * 3;
                stride = g.width() * 3;
            } else {
                // Edge patch: copy it with the last row and column replicated, then treat it like any other.
                gatherEdgePatch(rgb, g, y0, x0, edge);
                src = edge;
                base = 0;
                stride = rowLen;
            }
            channelSums(src, base, stride, p, sums);
            for (int c = 0; c < 3; c++) {
                // mean_c = floor((Σ_c + P²/2) / P²), code_c = mean_c >> (8 − dcBits); P² is a power of two
                int code = ((sums[c] + (1 << (log2Area - 1))) >> log2Area) >> shift;
                dcCodes[3 * i + c] = code;
                short value = (short) VideoKernels.dcValue(code, dcBits);
                for (int k = c; k < PERIOD; k += 3) {
                    dcPattern[k] = value;
                }
            }
            subtractDc(src, base, stride, p, dcPattern, residuals, i * g.patchDim());
        }
    }

    /** sums[c] = Σ pixels_c over the P×P patch at {@code src[base]}, its rows {@code stride} bytes apart. */
    private static void channelSums(byte[] src, int base, int stride, int p, int[] sums) {
        // Per-lane sums in 16 bits: a lane adds P/8 bytes per row (3P/24 periods), P rows,
        // so it stays ≤ (P/8)·P·255 ≤ 4·32·255 = 32640 < 2^15.
        ShortVector a0 = ShortVector.zero(S);
        ShortVector a1 = a0;
        ShortVector a2 = a0;
        int rowLen = 3 * p;
        for (int py = 0; py < p; py++) {
            int o = base + py * stride;
            for (int x = 0; x < rowLen; x += PERIOD) {
                a0 = a0.add(widen(src, o + x));
                a1 = a1.add(widen(src, o + x + CHUNK));
                a2 = a2.add(widen(src, o + x + 2 * CHUNK));
            }
        }
        // Σ_c = Σ_j Σ_{lanes i of chunk j with (8j + i) mod 3 = c}: each lane position belongs to channel c in
        // exactly one chunk, so the masked chunks add without overlap (lanes still ≤ 32640), then 8 lanes in int.
        for (int c = 0; c < 3; c++) {
            int keep = c * PERIOD;
            ShortVector channel = a0.and(ShortVector.fromArray(S, KEEP, keep))
                    .add(a1.and(ShortVector.fromArray(S, KEEP, keep + CHUNK)))
                    .add(a2.and(ShortVector.fromArray(S, KEEP, keep + 2 * CHUNK)));
            sums[c] = channel.convertShape(VectorOperators.S2I, I, 0).reinterpretAsInts()
                    .reduceLanes(VectorOperators.ADD);
        }
    }

    /**
     * r[k] = pixel(k) − value_{k mod 3} for the P×P patch at {@code src[base]}, written row after row at
     * {@code out[dst]}; {@code dcPattern[k]} is value_{k mod 3} for k in 0..23.
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
                widen(src, o + x).sub(v0).intoArray(out, r + x);
                widen(src, o + x + CHUNK).sub(v1).intoArray(out, r + x + CHUNK);
                widen(src, o + x + 2 * CHUNK).sub(v2).intoArray(out, r + x + 2 * CHUNK);
            }
        }
    }

    /** Copies a patch that crosses the frame edge, replicating the last row and column. */
    private static void gatherEdgePatch(byte[] rgb, FrameGeometry g, int y0, int x0, byte[] patch) {
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
    static void patchSquaredError(byte[] a, byte[] b, FrameGeometry g, long[] out) {
        int p = g.patch();
        int rowBytes = g.width() * 3;
        for (int band = 0; band < g.rows(); band++) {
            int y0 = band * p;
            int rows = Math.min(p, g.height() - y0);
            for (int col = 0; col < g.columns(); col++) {
                int from = y0 * rowBytes + col * 3 * p;
                int len = Math.min(3 * p, rowBytes - col * 3 * p); // the part of the patch row inside the frame
                int vectorLen = len - len % CHUNK;
                // e = Σ (a − b)² over the patch: ≤ P²·3·255² < 2^31 in total, so int lanes and an int sum suffice.
                IntVector e = IntVector.zero(I);
                int tail = 0;
                for (int py = 0; py < rows; py++) {
                    int o = from + py * rowBytes;
                    for (int x = 0; x < vectorLen; x += CHUNK) {
                        IntVector diff = widenToInt(a, o + x).sub(widenToInt(b, o + x));
                        e = e.add(diff.mul(diff));
                    }
                    for (int x = vectorLen; x < len; x++) {
                        int diff = (a[o + x] & 0xFF) - (b[o + x] & 0xFF);
                        tail += diff * diff;
                    }
                }
                out[band * g.columns() + col] = e.reduceLanes(VectorOperators.ADD) + tail;
            }
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
                IntVector diff = widenToInt(a, k).sub(widenToInt(b, k));
                e = e.add(diff.mul(diff));
            }
            sum += e.reduceLanes(VectorOperators.ADD);
        }
        for (int k = vectorEnd; k < length; k++) {
            int diff = (a[k] & 0xFF) - (b[k] & 0xFF);
            sum += diff * diff;
        }
        return sum;
    }

    /** The 8 bytes at {@code src[o]} as unsigned 16-bit lanes. */
    private static ShortVector widen(byte[] src, int o) {
        return ByteVector.fromArray(B, src, o).convertShape(VectorOperators.ZERO_EXTEND_B2S, S, 0).reinterpretAsShorts();
    }

    /** The 8 bytes at {@code src[o]} as unsigned 32-bit lanes. */
    private static IntVector widenToInt(byte[] src, int o) {
        return ByteVector.fromArray(B, src, o).convertShape(VectorOperators.ZERO_EXTEND_B2I, I, 0).reinterpretAsInts();
    }
}
