package dev.weir.kernels;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The {@code jvm} (Vector API) backend gives exactly the {@code jvm-scalar} reference's results. */
class JvmVideoKernelsTest extends KernelsEqualScalarContract {

    @Override
    protected VideoKernels openBackend() {
        return Kernels.video("jvm");
    }

    @Test
    void namesItself() {
        assertEquals("jvm", jvm.backend());
    }
}
