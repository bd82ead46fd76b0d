package dev.weir.kernels.internals;

import dev.weir.kernels.PatchGrid;
import dev.weir.kernels.ShapeCodebook;
import dev.weir.kernels.VideoKernels;

/**
 * The reference backend: plain scalar loops that read like the formulas in {@link VideoKernels}.
 * Every other backend must agree with it exactly; benchmarks use it as the baseline.
 */
public final class ScalarVideoKernels implements VideoKernels {

    @Override
    public String backend() {
        return "jvm-scalar";
    }

    @Override
    public void patchify(byte[] rgb, PatchGrid g, int dcBits, int[] dcCodes, short[] residuals) {
        checkDcBits(dcBits);
        int p = g.patch();
        int d = g.patchDim();
        int area = p * p;
        int shift = 8 - dcBits;
        int[] sum = new int[3];
        for (int i = 0; i < g.patches(); i++) {
            int y0 = (i / g.columns()) * p;
            int x0 = (i % g.columns()) * p;
            sum[0] = sum[1] = sum[2] = 0;
            for (int py = 0; py < p; py++) {
                for (int px = 0; px < p; px++) {
                    int src = pixelOffset(g, y0 + py, x0 + px);
                    for (int c = 0; c < 3; c++) {
                        sum[c] += rgb[src + c] & 0xFF;
                    }
                }
            }
            int[] value = new int[3];
            for (int c = 0; c < 3; c++) {
                int mean = (sum[c] + area / 2) / area;
                int code = mean >> shift;
                dcCodes[3 * i + c] = code;
                value[c] = VideoKernels.dcValue(code, dcBits);
            }
            int base = i * d;
            for (int py = 0; py < p; py++) {
                for (int px = 0; px < p; px++) {
                    int src = pixelOffset(g, y0 + py, x0 + px);
                    int k = (py * p + px) * 3;
                    for (int c = 0; c < 3; c++) {
                        residuals[base + k + c] = (short) ((rgb[src + c] & 0xFF) - value[c]);
                    }
                }
            }
        }
    }

    @Override
    public void nearest(short[] vectors, int[] rows, int count, ShapeCodebook cb, int[] indices) {
        int d = cb.dim();
        long[] scaledNorms = new long[cb.size()];
        for (int j = 0; j < cb.size(); j++) {
            scaledNorms[j] = cb.squaredNorm(j) << cb.scaleShift();
        }
        byte[] q = cb.entries();
        for (int r = 0; r < count; r++) {
            int base = (rows == null ? r : rows[r]) * d;
            long best = Long.MAX_VALUE;
            int bestJ = 0;
            for (int j = 0; j < cb.size(); j++) {
                long dot = 0;
                int qb = j * d;
                for (int k = 0; k < d; k++) {
                    dot += vectors[base + k] * q[qb + k];
                }
                long score = scaledNorms[j] - 2 * dot; // 2^s‖q_j‖² − 2·x·q_j
                if (score < best) {
                    best = score;
                    bestJ = j;
                }
            }
            indices[r] = bestJ;
        }
    }

    @Override
    public void subtract(short[] vectors, int[] rows, int count, ShapeCodebook cb, int[] indices) {
        subtractRows(vectors, rows, count, cb, indices);
    }

    /** x_v ← x_v − 2^s·q_{indices[v]} over the given rows; shared with backends that do not vectorize it. */
    static void subtractRows(short[] vectors, int[] rows, int count, ShapeCodebook cb, int[] indices) {
        int d = cb.dim();
        int s = cb.scaleShift();
        byte[] q = cb.entries();
        for (int r = 0; r < count; r++) {
            int base = (rows == null ? r : rows[r]) * d;
            int qb = indices[r] * d;
            for (int k = 0; k < d; k++) {
                vectors[base + k] = (short) (vectors[base + k] - (q[qb + k] << s));
            }
        }
    }

    @Override
    public void reconstruct(byte[] frame, PatchGrid g, int dcBits, int[] patchIds, int count,
                            int[] dcCodes, int[] shapeIds, ShapeCodebook[] codebooks) {
        checkDcBits(dcBits);
        int p = g.patch();
        int d = g.patchDim();
        int[] patch = new int[d];
        for (int r = 0; r < count; r++) {
            int i = patchIds[r];
            for (int k = 0; k < d; k++) {
                patch[k] = VideoKernels.dcValue(dcCodes[3 * r + k % 3], dcBits);
            }
            for (int t = 0; t < codebooks.length; t++) {
                ShapeCodebook cb = codebooks[t];
                int qb = shapeIds[t * count + r] * d;
                for (int k = 0; k < d; k++) {
                    patch[k] += cb.entries()[qb + k] << cb.scaleShift();
                }
            }
            int y0 = (i / g.columns()) * p;
            int x0 = (i % g.columns()) * p;
            for (int py = 0; py < p && y0 + py < g.height(); py++) {
                for (int px = 0; px < p && x0 + px < g.width(); px++) {
                    int dst = ((y0 + py) * g.width() + x0 + px) * 3;
                    int k = (py * p + px) * 3;
                    for (int c = 0; c < 3; c++) {
                        frame[dst + c] = (byte) Math.clamp(patch[k + c], 0, 255);
                    }
                }
            }
        }
    }

    @Override
    public void patchSquaredError(byte[] a, byte[] b, PatchGrid g, long[] out) {
        int p = g.patch();
        java.util.Arrays.fill(out, 0, g.patches(), 0L);
        for (int y = 0; y < g.height(); y++) {
            int rowBase = (y / p) * g.columns();
            for (int x = 0; x < g.width(); x++) {
                int o = (y * g.width() + x) * 3;
                long e = 0;
                for (int c = 0; c < 3; c++) {
                    int diff = (a[o + c] & 0xFF) - (b[o + c] & 0xFF);
                    e += diff * diff;
                }
                out[rowBase + x / p] += e;
            }
        }
    }

    @Override
    public long squaredError(byte[] a, byte[] b, int length) {
        long sum = 0;
        for (int k = 0; k < length; k++) {
            int diff = (a[k] & 0xFF) - (b[k] & 0xFF);
            sum += diff * diff;
        }
        return sum;
    }

    @Override
    public void close() {
    }

    private static int pixelOffset(PatchGrid g, int y, int x) {
        return (Math.min(y, g.height() - 1) * g.width() + Math.min(x, g.width() - 1)) * 3;
    }

    private static void checkDcBits(int dcBits) {
        if (dcBits < 1 || dcBits > 8) {
            throw new IllegalArgumentException("dcBits must be 1..8: " + dcBits);
        }
    }
}
