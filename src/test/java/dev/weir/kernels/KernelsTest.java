package dev.weir.kernels;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Backend choice by name. (Auto selection against a real OpenCL runtime is in OpenClVideoKernelsIT.) */
class KernelsTest {

    @Test
    void namedCpuBackendsOpenWithoutASelectionReason() {
        try (VideoKernels scalar = Kernels.video("jvm-scalar"); VideoKernels jvm = Kernels.video("JVM")) {
            assertEquals("jvm-scalar", scalar.backend());
            assertEquals("jvm", jvm.backend());
            assertEquals("", jvm.selectionReason());
        }
    }

    @Test
    void anUnknownBackendNamesTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Kernels.video("cuda"));
        assertTrue(e.getMessage().contains("auto, jvm, jvm-scalar or opencl"), e.getMessage());
    }
}
