package dev.weir.kernels;

/**
 * Test kernels that pass every kernel to a real backend; a test subclass overrides the one it watches or
 * breaks (counting searches, failing a search). The default methods keep their default implementations.
 */
public class ForwardingVideoKernels implements VideoKernels {

    protected final VideoKernels real;

    public ForwardingVideoKernels(VideoKernels real) {
        this.real = real;
    }

    @Override
    public String backend() {
        return real.backend();
    }

    @Override
    public void patchify(byte[] rgb, PatchGrid geometry, int dcBits, int[] dcCodes, short[] residuals) {
        real.patchify(rgb, geometry, dcBits, dcCodes, residuals);
    }

    @Override
    public void nearest(short[] vectors, int[] rows, int count, ShapeCodebook codebook, int[] indices) {
        real.nearest(vectors, rows, count, codebook, indices);
    }

    @Override
    public void subtract(short[] vectors, int[] rows, int count, ShapeCodebook codebook, int[] indices) {
        real.subtract(vectors, rows, count, codebook, indices);
    }

    @Override
    public void reconstruct(byte[] frame, PatchGrid geometry, int dcBits, int[] patchIds, int count, int[] dcCodes,
                            int[] shapeIds, ShapeCodebook[] codebooks) {
        real.reconstruct(frame, geometry, dcBits, patchIds, count, dcCodes, shapeIds, codebooks);
    }

    @Override
    public void patchSquaredError(byte[] a, byte[] b, PatchGrid geometry, long[] out) {
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
