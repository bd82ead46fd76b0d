package dev.weir.kernels;

import dev.weir.kernels.internals.OpenClVideoKernels;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The patch step fused on the real OpenCL device of this machine (PoCL's CPU device in CI): the contract against
 * the scalar reference, and what is particular to a device: the stages it times, streams sharing a shape's plan,
 * and the memory limits past which a stream runs on {@code jvm}.
 */
class OpenClPatchStepIT extends PatchStepContract {

    @Override
    protected VideoKernels openBackend() {
        return Kernels.video("opencl");
    }

    @Test
    void theStepIsFusedAndTimesEachStageOnTheDevice() {
        // given a fused plan
        PatchStepSpec spec = spec(16, 300, 230, 3);
        try (PatchStepPlan plan = PatchStepPlan.create(backend, spec)) {
            // when a frame sends a few patches
            plan.execute(cropped(TREE[0], 300, 230), m -> PatchSelection.of(new int[] {2, 3, 40}));
            // then it ran on the device, which timed every stage of both phases
            assertTrue(plan.fused(), plan.placement());
            assertTrue(plan.placement().startsWith("fused on opencl:"), plan.placement());
            assertEquals(List.of("frame-up", "measure", "measures-down", "selection-up", "patchify", "search-0",
                    "subtract-0", "search-1", "repaint", "packet-down"), List.copyOf(plan.lastDeviceNanos().keySet()));
            assertEquals(spec.grid().rgbBytes(), plan.deviceBytes());
        }
    }

    @Test
    void streamsOfOneShapeShareItsPlanAndKeepTheirOwnPictures() {
        // given two streams of one shape on one kernels instance
        PatchStepSpec spec = spec(16, 300, 230, 5);
        int[] all = IntStream.range(0, spec.patches()).toArray();
        try (PatchStepPlan a = PatchStepPlan.create(backend, spec); PatchStepPlan b = PatchStepPlan.create(backend, spec)) {
            DeviceUse two = backend.deviceUse();
            // when each sends a different whole frame
            a.execute(cropped(TREE[0], 300, 230), m -> PatchSelection.of(all));
            b.execute(cropped(TREE[4], 300, 230), m -> PatchSelection.of(all));
            // then the device holds two pictures and one set of working buffers, and each picture is its own stream's
            assertEquals(2, two.streams());
            try (PatchStepPlan c = PatchStepPlan.create(backend, spec)) {
                assertEquals(two.bytes() + spec.grid().rgbBytes(), backend.deviceUse().bytes());
            }
            try (PatchStepPlan alone = PatchStepPlan.composed(scalar, spec)) {
                alone.execute(cropped(TREE[0], 300, 230), m -> PatchSelection.of(all));
                assertArrayEquals(alone.reference(), a.reference());
            }
        }
        // and closing them gave their pictures back
        assertEquals(0, backend.deviceUse().streams());
    }

    @Test
    void aStreamPastThePerStreamLimitRunsOnJvmCountedAndWithTheSameTokens() {
        // given kernels that allow each stream less than a 300x230 picture
        PatchStepSpec spec = spec(16, 300, 230, 9);
        int[] all = IntStream.range(0, spec.patches()).toArray();
        try (VideoKernels small = OpenClVideoKernels.open(System.getenv("WEIR_OPENCL_DEVICE"), false,
                new DeviceLimits(100_000, 0));
             // when a stream asks for a fused step
             PatchStepPlan plan = PatchStepPlan.create(small, spec);
             PatchStepPlan reference = PatchStepPlan.composed(scalar, spec)) {
            // then it runs composed on jvm, says why, and is counted
            assertFalse(plan.fused());
            assertEquals("jvm", plan.kernels().backend());
            assertTrue(plan.placement().contains("fallback from opencl:"), plan.placement());
            assertTrue(plan.placement().contains("weir.kernels.device.stream.bytes"), plan.placement());
            assertEquals(new DeviceUse(0, 0, 1), small.deviceUse());
            // and its tokens are the reference's
            byte[] frame = cropped(TREE[1], 300, 230);
            assertArrayEquals(reference.execute(frame, m -> PatchSelection.of(all)).shapeIds(),
                    plan.execute(frame, m -> PatchSelection.of(all)).shapeIds());
        }
    }

    @Test
    void theTotalLimitIsSharedByTheStreamsOfTheProcess() {
        // given a total budget room for one 300x230 stream (its picture and its shape's buffers) but not two
        PatchStepSpec spec = spec(16, 300, 230, 21);
        long one;
        try (PatchStepPlan probe = PatchStepPlan.create(backend, spec)) {
            one = backend.deviceUse().bytes();
        }
        try (VideoKernels tight = OpenClVideoKernels.open(System.getenv("WEIR_OPENCL_DEVICE"), false,
                new DeviceLimits(DeviceLimits.DEFAULT_STREAM_BYTES, reservedElsewhere() + one + spec.grid().rgbBytes() / 2));
             PatchStepPlan first = PatchStepPlan.create(tight, spec);
             // when a second stream comes
             PatchStepPlan second = PatchStepPlan.create(tight, spec)) {
            // then the first is on the device and the second on jvm
            assertTrue(first.fused(), first.placement());
            assertFalse(second.fused(), second.placement());
            assertTrue(second.placement().contains("weir.kernels.device.total.bytes"), second.placement());
            assertEquals(1, tight.deviceUse().fallbacks());
        }
    }

    /** What other kernels instances of this test class hold on the device now (the contract's backend). */
    private long reservedElsewhere() {
        return backend.deviceUse().bytes();
    }
}
