package dev.weir.kernels.internals;

import dev.weir.kernels.PatchGrid;
import dev.weir.kernels.ShapeCodebook;

/**
 * Argument checks shared by the backends, run before any work or allocation so that bad input fails
 * with an {@link IllegalArgumentException} that names the argument, never deep inside a kernel.
 */
final class KernelChecks {

    private KernelChecks() {
    }

    static void dcBits(int dcBits) {
        if (dcBits < 1 || dcBits > 8) {
            throw new IllegalArgumentException("dcBits must be 1..8: " + dcBits);
        }
    }

    static void length(String name, byte[] array, int expected) {
        if (array.length != expected) {
            throw new IllegalArgumentException(name + " has " + array.length + " bytes, expected " + expected);
        }
    }

    static void atLeast(String name, int length, long needed) {
        if (length < needed) {
            throw new IllegalArgumentException(name + " has length " + length + ", needs at least " + needed);
        }
    }

    /** The arguments of {@code VideoKernels.patchify}. */
    static void patchify(byte[] rgb, PatchGrid g, int dcBits, int[] dcCodes, short[] residuals) {
        dcBits(dcBits);
        length("rgb", rgb, g.rgbBytes());
        atLeast("dcCodes", dcCodes.length, 3L * g.patches());
        atLeast("residuals", residuals.length, (long) g.patches() * g.patchDim());
    }

    /** The arguments of {@code VideoKernels.patchSquaredError}. */
    static void patchSquaredError(byte[] a, byte[] b, PatchGrid g, long[] out) {
        length("a", a, g.rgbBytes());
        length("b", b, g.rgbBytes());
        atLeast("out", out.length, g.patches());
    }

    /** The arguments of {@code VideoKernels.squaredError}. */
    static void squaredError(byte[] a, byte[] b, int length) {
        atLeast("a", a.length, length);
        atLeast("b", b.length, length);
    }

    /** The vectors addressed by {@code rows} (or 0..count−1) all lie inside {@code vectors}. */
    static void rows(short[] vectors, int[] rows, int count, int d) {
        if (count < 0) {
            throw new IllegalArgumentException("count must be ≥ 0: " + count);
        }
        if (rows == null) {
            atLeast("vectors", vectors.length, (long) count * d);
            return;
        }
        atLeast("rows", rows.length, count);
        int limit = vectors.length / d;
        for (int r = 0; r < count; r++) {
            if (rows[r] < 0 || rows[r] >= limit) {
                throw new IllegalArgumentException("rows[" + r + "] = " + rows[r] + " is outside the " + limit
                        + " vectors of dim " + d);
            }
        }
    }

    static void indices(int[] indices, int count, int size) {
        atLeast("indices", indices.length, count);
        for (int r = 0; r < count; r++) {
            if (indices[r] < 0 || indices[r] >= size) {
                throw new IllegalArgumentException("indices[" + r + "] = " + indices[r] + " is outside codebook of size " + size);
            }
        }
    }

    static void reconstruct(byte[] frame, PatchGrid g, int[] patchIds, int count, int[] dcCodes,
                            int[] shapeIds, ShapeCodebook[] codebooks) {
        length("frame", frame, g.rgbBytes());
        if (count < 0) {
            throw new IllegalArgumentException("count must be ≥ 0: " + count);
        }
        atLeast("patchIds", patchIds.length, count);
        atLeast("dcCodes", dcCodes.length, 3L * count);
        atLeast("shapeIds", shapeIds.length, (long) codebooks.length * count);
        for (int r = 0; r < count; r++) {
            if (patchIds[r] < 0 || patchIds[r] >= g.patches()) {
                throw new IllegalArgumentException("patchIds[" + r + "] = " + patchIds[r] + " is outside the "
                        + g.patches() + " patches of the frame");
            }
        }
        for (int t = 0; t < codebooks.length; t++) {
            if (codebooks[t].dim() != g.patchDim()) {
                throw new IllegalArgumentException("codebook of stage " + t + " has dim " + codebooks[t].dim()
                        + ", patches have " + g.patchDim());
            }
            for (int r = 0; r < count; r++) {
                int id = shapeIds[t * count + r];
                if (id < 0 || id >= codebooks[t].size()) {
                    throw new IllegalArgumentException("shapeIds[" + (t * count + r) + "] = " + id
                            + " is outside the codebook of stage " + t + " (size " + codebooks[t].size() + ")");
                }
            }
        }
    }
}
