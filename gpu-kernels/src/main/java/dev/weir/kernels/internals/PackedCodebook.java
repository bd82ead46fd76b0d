package dev.weir.kernels.internals;

import dev.weir.kernels.ShapeCodebook;

/**
 * A {@link ShapeCodebook} laid out for the register-blocked search of {@link JvmVideoKernels}: entries in
 * panels of {@code width} consecutive entries, each panel component-major ({@code panel[k·width + jj]}
 * = q_{p·width+jj}[k]) so that one vector load gives component k of {@code width/lanes}·lanes entries,
 * as in BLIS/GotoBLAS packing. Entries past K are zero and score {@link Long#MAX_VALUE}, so they never win.
 */
final class PackedCodebook {

    final int size;
    final int dim;
    final int width;
    final int panels;
    /** panels·dim·width floats; every value an integer in [-127, 127], exact in float. */
    final float[] data;
    /** 2^s·‖q_j‖² per padded entry; {@link Long#MAX_VALUE} for padding. */
    final long[] scaledNorms;
    /** max |q| over all entries, for the float-exactness chunk bound. */
    final int maxAbs;

    PackedCodebook(ShapeCodebook codebook, int width) {
        this.size = codebook.size();
        this.dim = codebook.dim();
        this.width = width;
        this.panels = (size + width - 1) / width;
        long floats = (long) panels * dim * width;
        if (floats > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("codebook " + size + "x" + dim + " is too large to pack for the jvm backend");
        }
        this.data = new float[(int) floats];
        this.scaledNorms = new long[panels * width];
        byte[] q = codebook.entries();
        int max = 0;
        for (int j = 0; j < panels * width; j++) {
            if (j >= size) {
                scaledNorms[j] = Long.MAX_VALUE;
                continue;
            }
            int panelBase = (j / width) * dim * width;
            int lane = j % width;
            long norm = 0;
            for (int k = 0; k < dim; k++) {
                int v = q[j * dim + k];
                data[panelBase + k * width + lane] = v;
                norm += (long) v * v;
                max = Math.max(max, Math.abs(v));
            }
            scaledNorms[j] = norm << codebook.scaleShift();
        }
        this.maxAbs = max;
    }
}
