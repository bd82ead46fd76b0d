package dev.weir.kernels;

import dev.weir.kernels.internals.OpenClVideoKernels;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@code opencl} backend, on the real OpenCL runtime of this machine (PoCL's CPU device in CI),
 * gives exactly the {@code jvm-scalar} reference's results.
 */
class OpenClVideoKernelsIT extends KernelsEqualScalarContract {

    @Override
    protected VideoKernels openBackend() {
        return Kernels.video("opencl");
    }

    @Test
    void namesItsDevice() {
        assertTrue(jvm.backend().startsWith("opencl:"), jvm.backend());
        assertTrue(jvm.backend().length() > "opencl:".length(), jvm.backend());
    }

    @Test
    void aDeviceFilterThatMatchesNothingFailsWithTheDeviceList() {
        // given a device name no OpenCL device has
        // when / then: a typed exception that names the devices that do exist
        KernelUnavailableException e = assertThrows(KernelUnavailableException.class,
                () -> OpenClVideoKernels.open("no-such-device-xyz", false));
        assertTrue(e.getMessage().contains("no-such-device-xyz"), e.getMessage());
        assertTrue(e.getMessage().contains(jvm.backend().substring("opencl:".length())), e.getMessage());
    }

    @Test
    void autoTakesOpenClOnlyOnAGpuAndOtherwiseSaysWhy() {
        // given this machine's OpenCL devices
        boolean gpuPresent = OpenClVideoKernels.onGpu(jvm);
        // when auto chooses
        try (VideoKernels auto = Kernels.video("auto")) {
            // then it is OpenCL exactly when the device is a GPU, and a fallback says why
            if (gpuPresent) {
                assertTrue(auto.backend().startsWith("opencl:"), auto.backend());
            } else {
                assertEquals("jvm", auto.backend());
                assertTrue(auto.selectionReason().startsWith("no OpenCL GPU"), auto.selectionReason());
            }
        }
    }
}
