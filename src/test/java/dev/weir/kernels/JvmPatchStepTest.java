package dev.weir.kernels;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The patch step on {@code jvm}: composed from the host, the same as on the scalar reference. */
class JvmPatchStepTest extends PatchStepContract {

    @Override
    protected VideoKernels openBackend() {
        return Kernels.video("jvm");
    }

    @Test
    void onTheCpuTheStepIsComposedAndHoldsNoDeviceMemory() {
        try (PatchStepPlan plan = PatchStepPlan.create(backend, spec(16, 96, 64, 1))) {
            assertFalse(plan.fused());
            assertEquals("composed on jvm", plan.placement());
            assertEquals(0, plan.deviceBytes());
            assertTrue(plan.lastDeviceNanos().isEmpty());
            assertEquals(DeviceUse.NONE, backend.deviceUse());
        }
    }
}
