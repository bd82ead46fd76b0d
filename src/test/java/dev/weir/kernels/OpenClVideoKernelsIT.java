package dev.weir.kernels;

import dev.weir.kernels.internals.OpenClVideoKernels;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
    void batchedFrameStepEqualsTheScalarFrameStep() {
        // given real frames, run two per execution on OpenCL and one by one on the scalar reference
        PatchGrid g = TestFrames.geometryOf(FrameStepPlanTest.TREE[0], 16);
        ShapeCodebook cb = TestFrames.randomCodebook(new java.util.SplittableRandom(8), 1024, g.patchDim(), 2);
        byte[][] frames = java.util.Arrays.stream(FrameStepPlanTest.TREE).map(TestFrames::rgb).toArray(byte[][]::new);
        try (VideoKernels scalar = Kernels.video("jvm-scalar");
             FrameStepPlan reference = FrameStepPlan.create(scalar, new FrameStepSpec(g, 6, 0.25, 1, cb, true));
             FrameStepPlan plan = FrameStepPlan.create(jvm, new FrameStepSpec(g, 6, 0.25, 2, cb, true))) {
            for (int f = 0; f < frames.length; f += 2) {
                // when
                FrameStepResult batch = plan.execute(frames[f], frames[f + 1]);
                int[] kept = batch.keptPatches().clone();
                int[] tokens = batch.tokens().clone();
                int k = batch.keptPerFrame();
                for (int i = 0; i < 2; i++) {
                    FrameStepResult one = reference.execute(frames[f + i]);
                    // then
                    assertArrayEquals(java.util.Arrays.copyOf(one.keptPatches(), k), java.util.Arrays.copyOfRange(kept, i * k, (i + 1) * k));
                    assertArrayEquals(java.util.Arrays.copyOf(one.tokens(), k), java.util.Arrays.copyOfRange(tokens, i * k, (i + 1) * k));
                }
            }
        }
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
