package dev.weir.kernels.internals;

import dev.weir.kernels.PatchGrid;
import dev.weir.kernels.ShapeCodebook;
import dev.weir.kernels.VideoKernels;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * The {@code jvm} backend: the Java Vector API ({@code jdk.incubator.vector}) on the CPU, single-threaded
 * (Kafka Streams parallelism comes from stream threads, one kernels instance each).
 *
 * <p>{@link #nearest} is a register-blocked GEMM ([rows×d]·[d×K]) fused with the argmin: 4 rows × 2
 * vectors of entries per micro-tile (rows interleaved so the 4 broadcasts of a step read one cache line), the codebook packed once per {@link ShapeCodebook} into panels
 * ({@link PackedCodebook}) and cached while the codebook is reachable. It multiplies in float32, which is
 * exact here: operands are integers, and the dot product is accumulated in float only over chunks of
 * {@code c} components with {@code c·max|x|·max|q| ≤ 2^24}, so every partial sum is an integer that float
 * represents exactly; chunk sums are then added in int. The result is the scalar reference's, bit for bit.
 *
 * <p>The kernels over RGB24 bytes ({@link #patchify}, {@link #patchSquaredError}, {@link #squaredError}) are
 * in {@link JvmPixelKernels}.
 *
 * <p>Codebook entry arrays must not be modified after a codebook's first use.
 */
public final class JvmVideoKernels implements VideoKernels {

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED;
    private static final int LANES = F.length();
    /** Entries per micro-tile: two vectors (4 rows × 2 vectors = 8 accumulators + 2 entry vectors + 1 broadcast fit the 16 AVX2 registers without spilling). */
    private static final int WIDTH = 2 * LANES;
    /** Rows per micro-tile. */
    private static final int TILE_ROWS = 4;
    /** Largest integer magnitude up to which every float32 integer is exact. */
    private static final int FLOAT_EXACT = 1 << 24;
    /** Components per slice of the k-blocking: a panel slice is DEPTH·WIDTH floats (16 KiB for AVX2). */
    private static final int DEPTH = 256;
    /** Rows per cache block. */
    private static final int BLOCK_ROWS = 64;

    private final String selectionReason;
    private final Map<ShapeCodebook, PackedCodebook> packed = new WeakHashMap<>();
    private final List<ShapeCodebook> retained = new ArrayList<>();
    private final int[] blockDots = new int[BLOCK_ROWS * WIDTH];
    private float[] rowBlock = new float[0];
    private long[] bestScore = new long[0];
    private int[] bestIndex = new int[0];

    public JvmVideoKernels() {
        this("");
    }

    /** @param selectionReason why auto selection chose this backend, or empty */
    public JvmVideoKernels(String selectionReason) {
        this.selectionReason = selectionReason;
    }

    @Override
    public String backend() {
        return "jvm";
    }

    @Override
    public String selectionReason() {
        return selectionReason;
    }

    @Override
    public void retain(ShapeCodebook codebook) {
        pack(codebook);
        retained.add(codebook);
    }

    @Override
    public void release(ShapeCodebook codebook) {
        retained.remove(codebook);
    }

    // ---------------------------------------------------------------------------------------------
    // patchify: rounded channel means, quantized DC, residual = pixel − dcValue (see VideoKernels)

    @Override
    public void patchify(byte[] rgb, PatchGrid g, int dcBits, int[] dcCodes, short[] residuals) {
        KernelChecks.patchify(rgb, g, dcBits, dcCodes, residuals);
        JvmPixelKernels.patchify(rgb, g, dcBits, dcCodes, residuals);
    }

    // ---------------------------------------------------------------------------------------------
    // nearest: argmin_j 2^s·‖q_j‖² − 2·x·q_j, ties to the lower j

    @Override
    public void nearest(short[] vectors, int[] rows, int count, ShapeCodebook cb, int[] indices) {
        int d = cb.dim();
        KernelChecks.rows(vectors, rows, count, d);
        KernelChecks.atLeast("indices", indices.length, count);
        if (count == 0) {
            return;
        }
        PackedCodebook pc = pack(cb);
        int blockRows = rowBlockSize(d);
        ensureScratch(blockRows, d);
        for (int r0 = 0; r0 < count; r0 += blockRows) {
            int rn = Math.min(blockRows, count - r0);
            int padded = (rn + TILE_ROWS - 1) / TILE_ROWS * TILE_ROWS;
            int maxAbs = packRows(vectors, rows, r0, rn, padded, d);
            long maxProduct = (long) maxAbs * pc.maxAbs;
            if (maxProduct * d > Integer.MAX_VALUE) {
                // Outside the |x| ≤ 2047 contract an int dot could overflow: take the exact 64-bit path.
                nearestLong(vectors, rows, r0, rn, cb, pc, indices);
                continue;
            }
            int chunk = maxProduct == 0 ? d : (int) Math.min(d, FLOAT_EXACT / maxProduct);
            Arrays.fill(bestScore, 0, padded, Long.MAX_VALUE);
            Arrays.fill(bestIndex, 0, padded, 0);
            for (int panel = 0; panel < pc.panels; panel++) {
                int panelOffset = panel * d * WIDTH;
                int entry0 = panel * WIDTH;
                Arrays.fill(blockDots, 0, padded * WIDTH, 0);
                // Components in slices of at most DEPTH, so a panel slice and 4 rows' slice stay in L1
                // (GotoBLAS k-blocking), and at most `chunk`, so float sums over a slice stay exact.
                int slice = Math.min(DEPTH, chunk);
                for (int k0 = 0; k0 < d; k0 += slice) {
                    int k1 = Math.min(d, k0 + slice);
                    for (int m = 0; m < padded; m += TILE_ROWS) {
                        microTile(rowBlock, m * d, pc.data, panelOffset, k0, k1, blockDots, m * WIDTH);
                    }
                }
                for (int r = 0; r < padded; r++) {
                    long best = bestScore[r];
                    int bestJ = bestIndex[r];
                    for (int jj = 0; jj < WIDTH; jj++) {
                        long score = pc.scaledNorms[entry0 + jj] - 2L * blockDots[r * WIDTH + jj];
                        if (score < best) {
                            best = score;
                            bestJ = entry0 + jj;
                        }
                    }
                    bestScore[r] = best;
                    bestIndex[r] = bestJ;
                }
            }
            System.arraycopy(bestIndex, 0, indices, r0, rn);
        }
    }

    /** Rows per cache block: each panel slice is reused by all of them, a multiple of the micro-tile. */
    private static int rowBlockSize(int d) {
        return BLOCK_ROWS;
    }

    private void ensureScratch(int blockRows, int d) {
        if (rowBlock.length < blockRows * d) {
            rowBlock = new float[blockRows * d];
            bestScore = new long[blockRows];
            bestIndex = new int[blockRows];
        }
    }

    /**
     * Converts rows r0..r0+rn to float into the row block, zero-padded to {@code padded} rows; each group of
     * 4 rows is interleaved (row r, component k at {@code group·4d + 4k + r%4}). Returns max |x|.
     */
    private int packRows(short[] vectors, int[] rows, int r0, int rn, int padded, int d) {
        int maxAbs = 0;
        for (int r = 0; r < rn; r++) {
            int src = (rows == null ? r0 + r : rows[r0 + r]) * d;
            int dst = (r / TILE_ROWS) * TILE_ROWS * d + r % TILE_ROWS;
            for (int k = 0; k < d; k++) {
                int v = vectors[src + k];
                rowBlock[dst + k * TILE_ROWS] = v;
                maxAbs = Math.max(maxAbs, Math.abs(v));
            }
        }
        for (int r = rn; r < padded; r++) {
            int dst = (r / TILE_ROWS) * TILE_ROWS * d + r % TILE_ROWS;
            for (int k = 0; k < d; k++) {
                rowBlock[dst + k * TILE_ROWS] = 0f;
            }
        }
        return maxAbs;
    }

    /**
     * dots[off + rr·WIDTH + jj] += Σ_{k0 ≤ k < k1} x_rr[k]·q_jj[k] for 4 rows × WIDTH entries of one panel.
     * The caller keeps k1 − k0 within the exactness chunk, so the float accumulators hold exact integers of
     * magnitude ≤ 2^24; they are then added into int.
     */
    private static void microTile(float[] x, int xo, float[] q, int po, int k0, int k1, int[] dots, int off) {
        {
            FloatVector a00 = FloatVector.zero(F);
            FloatVector a01 = a00;
            FloatVector a10 = a00;
            FloatVector a11 = a00;
            FloatVector a20 = a00;
            FloatVector a21 = a00;
            FloatVector a30 = a00;
            FloatVector a31 = a00;
            for (int k = k0; k < k1; k++) {
                int qo = po + k * WIDTH;
                int xk = xo + k * TILE_ROWS;
                FloatVector q0 = FloatVector.fromArray(F, q, qo);
                FloatVector q1 = FloatVector.fromArray(F, q, qo + LANES);
                FloatVector b = FloatVector.broadcast(F, x[xk]);
                a00 = q0.fma(b, a00);
                a01 = q1.fma(b, a01);
                b = FloatVector.broadcast(F, x[xk + 1]);
                a10 = q0.fma(b, a10);
                a11 = q1.fma(b, a11);
                b = FloatVector.broadcast(F, x[xk + 2]);
                a20 = q0.fma(b, a20);
                a21 = q1.fma(b, a21);
                b = FloatVector.broadcast(F, x[xk + 3]);
                a30 = q0.fma(b, a30);
                a31 = q1.fma(b, a31);
            }
            // Chunk sums (exact integers) into the int dot products. Written out rather than through a helper
            // taking a vector: a vector argument of a call that is not inlined gets boxed.
            IntVector.fromArray(I, dots, off).add(a00.convertShape(VectorOperators.F2I, I, 0))
                    .intoArray(dots, off);
            IntVector.fromArray(I, dots, off + LANES).add(a01.convertShape(VectorOperators.F2I, I, 0))
                    .intoArray(dots, off + LANES);
            IntVector.fromArray(I, dots, off + WIDTH).add(a10.convertShape(VectorOperators.F2I, I, 0))
                    .intoArray(dots, off + WIDTH);
            IntVector.fromArray(I, dots, off + WIDTH + LANES).add(a11.convertShape(VectorOperators.F2I, I, 0))
                    .intoArray(dots, off + WIDTH + LANES);
            IntVector.fromArray(I, dots, off + 2 * WIDTH).add(a20.convertShape(VectorOperators.F2I, I, 0))
                    .intoArray(dots, off + 2 * WIDTH);
            IntVector.fromArray(I, dots, off + 2 * WIDTH + LANES).add(a21.convertShape(VectorOperators.F2I, I, 0))
                    .intoArray(dots, off + 2 * WIDTH + LANES);
            IntVector.fromArray(I, dots, off + 3 * WIDTH).add(a30.convertShape(VectorOperators.F2I, I, 0))
                    .intoArray(dots, off + 3 * WIDTH);
            IntVector.fromArray(I, dots, off + 3 * WIDTH + LANES).add(a31.convertShape(VectorOperators.F2I, I, 0))
                    .intoArray(dots, off + 3 * WIDTH + LANES);
        }
    }

    /** The exact 64-bit search for rows outside the documented range (slow; never taken within contract). */
    private static void nearestLong(short[] vectors, int[] rows, int r0, int rn, ShapeCodebook cb,
                                    PackedCodebook pc, int[] indices) {
        int d = cb.dim();
        byte[] q = cb.entries();
        for (int r = r0; r < r0 + rn; r++) {
            int base = (rows == null ? r : rows[r]) * d;
            long best = Long.MAX_VALUE;
            int bestJ = 0;
            for (int j = 0; j < cb.size(); j++) {
                long dot = 0;
                for (int k = 0; k < d; k++) {
                    dot += vectors[base + k] * q[j * d + k];
                }
                long score = pc.scaledNorms[j] - 2 * dot;
                if (score < best) {
                    best = score;
                    bestJ = j;
                }
            }
            indices[r] = bestJ;
        }
    }

    private PackedCodebook pack(ShapeCodebook cb) {
        return packed.computeIfAbsent(cb, c -> new PackedCodebook(c, WIDTH));
    }

    // ---------------------------------------------------------------------------------------------

    @Override
    public void subtract(short[] vectors, int[] rows, int count, ShapeCodebook cb, int[] indices) {
        KernelChecks.rows(vectors, rows, count, cb.dim());
        KernelChecks.indices(indices, count, cb.size());
        ScalarVideoKernels.subtractRows(vectors, rows, count, cb, indices);
    }

    @Override
    public void reconstruct(byte[] frame, PatchGrid g, int dcBits, int[] patchIds, int count,
                            int[] dcCodes, int[] shapeIds, ShapeCodebook[] codebooks) {
        KernelChecks.dcBits(dcBits);
        KernelChecks.reconstruct(frame, g, patchIds, count, dcCodes, shapeIds, codebooks);
        int p = g.patch();
        int d = g.patchDim();
        int rowLen = 3 * p;
        int[] patch = new int[d];
        for (int r = 0; r < count; r++) {
            int v0 = VideoKernels.dcValue(dcCodes[3 * r], dcBits);
            int v1 = VideoKernels.dcValue(dcCodes[3 * r + 1], dcBits);
            int v2 = VideoKernels.dcValue(dcCodes[3 * r + 2], dcBits);
            for (int k = 0; k < d; k += 3) {
                patch[k] = v0;
                patch[k + 1] = v1;
                patch[k + 2] = v2;
            }
            for (int t = 0; t < codebooks.length; t++) {
                byte[] q = codebooks[t].entries();
                int s = codebooks[t].scaleShift();
                int qb = shapeIds[t * count + r] * d;
                for (int k = 0; k < d; k++) {
                    patch[k] += q[qb + k] << s;
                }
            }
            int i = patchIds[r];
            int y0 = (i / g.columns()) * p;
            int x0 = (i % g.columns()) * p;
            int rows = Math.min(p, g.height() - y0);
            int len = Math.min(p, g.width() - x0) * 3;
            for (int py = 0; py < rows; py++) {
                int dst = ((y0 + py) * g.width() + x0) * 3;
                int k = py * rowLen;
                for (int x = 0; x < len; x++) {
                    frame[dst + x] = (byte) Math.clamp(patch[k + x], 0, 255);
                }
            }
        }
    }

    @Override
    public void patchSquaredError(byte[] a, byte[] b, PatchGrid g, long[] out) {
        KernelChecks.patchSquaredError(a, b, g, out);
        JvmPixelKernels.patchSquaredError(a, b, g, out);
    }

    @Override
    public long squaredError(byte[] a, byte[] b, int length) {
        KernelChecks.squaredError(a, b, length);
        return JvmPixelKernels.squaredError(a, b, length);
    }

    @Override
    public void close() {
        packed.clear();
        retained.clear();
    }
}
