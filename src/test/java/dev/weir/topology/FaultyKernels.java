package dev.weir.topology;

import dev.weir.kernels.FrameGeometry;
import dev.weir.kernels.Kernels;
import dev.weir.kernels.ShapeCodebook;
import dev.weir.kernels.VideoKernels;

import java.util.function.Supplier;

/** The scalar reference kernels, except that the codebook search fails while a test says so. */
final class FaultyKernels implements VideoKernels {

    /** Set by a test: the next searches throw this. */
    static volatile Supplier<RuntimeException> failNearest;

    private final VideoKernels real = Kernels.video("jvm-scalar");

    @Override
    public String backend() {
        return "faulty-test";
    }

    @Override
    public void patchify(byte[] rgb, FrameGeometry geometry, int dcBits, int[] dcCodes, short[] residuals) {
        real.patchify(rgb, geometry, dcBits, dcCodes, residuals);
    }

    @Override
    public void nearest(short[] vectors, int[] rows, int count, ShapeCodebook codebook, int[] indices) {
        Supplier<RuntimeException> failure = failNearest;
        if (failure != null) {
            throw failure.get();
        }
        real.nearest(vectors, rows, count, codebook, indices);
    }

    @Override
    public void subtract(short[] vectors, int[] rows, int count, ShapeCodebook codebook, int[] indices) {
        real.subtract(vectors, rows, count, codebook, indices);
    }

    @Override
    public void reconstruct(byte[] frame, FrameGeometry geometry, int dcBits, int[] patchIds, int count, int[] dcCodes,
                            int[] shapeIds, ShapeCodebook[] codebooks) {
        real.reconstruct(frame, geometry, dcBits, patchIds, count, dcCodes, shapeIds, codebooks);
    }

    @Override
    public void patchSquaredError(byte[] a, byte[] b, FrameGeometry geometry, long[] out) {
        real.patchSquaredError(a, b, geometry, out);
    }

    @Override
    public long squaredError(byte[] a, byte[] b, int length) {
        return real.squaredError(a, b, length);
    }

    @Override
    public void close() {
        real.close();
    }
}
