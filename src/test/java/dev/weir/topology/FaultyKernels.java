package dev.weir.topology;

import dev.weir.kernels.ForwardingVideoKernels;
import dev.weir.kernels.Kernels;
import dev.weir.kernels.ShapeCodebook;

import java.util.function.Supplier;

/** The scalar reference kernels, except that the codebook search fails while a test says so. */
final class FaultyKernels extends ForwardingVideoKernels {

    /** Set by a test: the next searches throw this. */
    static volatile Supplier<RuntimeException> failNearest;

    FaultyKernels() {
        super(Kernels.video("jvm-scalar"));
    }

    @Override
    public String backend() {
        return "faulty-test";
    }

    @Override
    public void nearest(short[] vectors, int[] rows, int count, ShapeCodebook codebook, int[] indices) {
        Supplier<RuntimeException> failure = failNearest;
        if (failure != null) {
            throw failure.get();
        }
        super.nearest(vectors, rows, count, codebook, indices);
    }
}
