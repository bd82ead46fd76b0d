package dev.weir.kernels;

import java.util.Objects;

/**
 * A codebook of mean-removed patch shapes, as the kernels see it: {@code size} entries of {@code dim}
 * signed 8-bit integers, each entry standing for the vector {@code q_j · 2^scaleShift}.
 *
 * <p>Keeping the entries integral is what makes tokens identical on every backend: all distances are
 * exact integers (see {@link VideoKernels#nearest}), so no summation order or fused multiply-add can
 * change an argmin.
 *
 * @param size       number of entries K
 * @param dim        entry length d (P·P·3 for a patch of side P)
 * @param scaleShift s in {@code q_j · 2^s}, 0..4
 * @param entries    K·d values, entry j at {@code [j*d, (j+1)*d)}, each in [-127, 127]
 */
public record ShapeCodebook(int size, int dim, int scaleShift, byte[] entries) {

    public static final int MAX_SCALE_SHIFT = 4;

    public ShapeCodebook {
        if (size <= 0 || dim <= 0) {
            throw new IllegalArgumentException("codebook size and dim must be positive: " + size + "x" + dim);
        }
        if (scaleShift < 0 || scaleShift > MAX_SCALE_SHIFT) {
            throw new IllegalArgumentException("scaleShift out of range 0.." + MAX_SCALE_SHIFT + ": " + scaleShift);
        }
        Objects.requireNonNull(entries, "entries");
        if (entries.length != Math.multiplyExact(size, dim)) {
            throw new IllegalArgumentException("entries length " + entries.length + " != size*dim " + size * dim);
        }
        for (byte e : entries) {
            if (e == Byte.MIN_VALUE) {
                throw new IllegalArgumentException("codebook entries must lie in [-127, 127]");
            }
        }
    }

    /** Entry j's value at component i, before scaling. */
    public int q(int j, int i) {
        return entries[j * dim + i];
    }

    /** ‖q_j‖², the unscaled squared norm of entry j (exact). */
    public long squaredNorm(int j) {
        long sum = 0;
        int base = j * dim;
        for (int i = 0; i < dim; i++) {
            int v = entries[base + i];
            sum += (long) v * v;
        }
        return sum;
    }
}
