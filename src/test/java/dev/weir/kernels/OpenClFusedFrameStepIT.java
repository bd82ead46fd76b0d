package dev.weir.kernels;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The frame step fused on the OpenCL device (PoCL's CPU device in CI) keeps the same patches and finds the
 * same tokens as the step composed from the host on {@code jvm-scalar}, frame by frame and batched, with
 * and without reference tracking, including ties.
 */
class OpenClFusedFrameStepIT {

    private static final String[] COFFEE = {"samples/video/coffee-sprite/scene-0001.jpg",
            "samples/video/coffee-sprite/scene-0002.jpg", "samples/video/coffee-sprite/scene-0003.jpg",
            "samples/video/coffee-sprite/scene-0004.jpg"};

    private static VideoKernels opencl;
    private static VideoKernels scalar;

    @BeforeAll
    static void open() {
        opencl = Kernels.video("opencl");
        scalar = Kernels.video("jvm-scalar");
    }

    @AfterAll
    static void close() {
        opencl.close();
        scalar.close();
    }

    @Test
    void aBatchOfRealFramesFusedOnTheDeviceEqualsTheScalarStepFrameByFrame() {
        // given four real frames, patch 16, tracking the previous frame as reference, K = 1024
        assertSameAsScalar(FrameStepPlanTest.TREE, 16, 0.25, 4, true, 1024);
    }

    @Test
    void frameByFrameWithPatch8AndAFixedReference() {
        // given patch 8 and a fixed reference (the plan does not track one)
        assertSameAsScalar(COFFEE, 8, 0.3, 1, false, 512);
    }

    @Test
    void oddBatchSizesEdgePatchesAndKeepingEverything() {
        // given patch 32 on 320x240 (a row of edge patches), batches of 3, keep 100%
        assertSameAsScalar(FrameStepPlanTest.TREE, 32, 1.0, 3, true, 256);
    }

    @Test
    void keepingNoPatchStillGivesEveryDcCode() {
        // given a keep share so small that k = floor(0.05 · 12) = 0 on a 64x48 frame of 16x16 patches
        PatchGrid g = new PatchGrid(64, 48, 16);
        ShapeCodebook cb = TestFrames.randomCodebook(new SplittableRandom(16), 8, g.patchDim(), 0);
        byte[] frame = TestFrames.randomBytes(new SplittableRandom(17), g.rgbBytes());
        try (FrameStepPlan fused = FrameStepPlan.create(opencl, new FrameStepSpec(g, 6, 0.05, 2, cb, true));
             FrameStepPlan expected = FrameStepPlan.composed(scalar, new FrameStepSpec(g, 6, 0.05, 2, cb, true))) {
            // when
            FrameStepResult got = fused.execute(frame, frame);
            FrameStepResult want = expected.execute(frame, frame);
            // then nothing is kept or searched, and the DC codes of both frames are there
            assertEquals(0, got.keptPerFrame());
            assertArrayEquals(Arrays.copyOf(want.dcCodes(), 2 * 3 * g.patches()), Arrays.copyOf(got.dcCodes(), 2 * 3 * g.patches()));
        }
    }

    @Test
    void theGpuSearchKernelsGiveTheSameTokensInTheFusedStep() {
        // given the search kernels GPUs get, forced on this device
        for (String search : List.of("blocked", "split", "tuned")) {
            try (VideoKernels gpuSearch = dev.weir.kernels.internals.OpenClVideoKernels.open(null, false, search)) {
                // when / then
                assertSameAsScalar(gpuSearch, FrameStepPlanTest.TREE, 16, 0.5, 2, true, 1024);
            }
        }
    }

    @Test
    void identicalFramesTieEverywhereAndKeepTheLowestPatchIndices() {
        // given a frame whose reference is itself: every patch has cos 1 (a tie everywhere)
        byte[] frame = TestFrames.rgb(FrameStepPlanTest.TREE[0]);
        PatchGrid g = TestFrames.geometryOf(FrameStepPlanTest.TREE[0], 16);
        ShapeCodebook cb = TestFrames.randomCodebook(new SplittableRandom(11), 64, g.patchDim(), 0);
        FrameStepSpec spec = new FrameStepSpec(g, 6, 0.25, 2, cb, true);
        try (FrameStepPlan plan = FrameStepPlan.create(opencl, spec)) {
            // when the same frame runs twice in one batch (the second's reference is the first)
            FrameStepResult r = plan.execute(frame, frame);
            // then the second frame keeps patches 0..k-1, as a stable sort by novelty does
            int k = r.keptPerFrame();
            int[] expected = java.util.stream.IntStream.range(0, k).toArray();
            assertArrayEquals(expected, Arrays.copyOfRange(r.keptPatches(), k, 2 * k));
        }
    }

    @Test
    void theFusedPlanRunsOnTheDeviceAndReportsDeviceTimes() {
        PatchGrid g = new PatchGrid(96, 64, 16);
        ShapeCodebook cb = TestFrames.randomCodebook(new SplittableRandom(12), 32, g.patchDim(), 0);
        try (FrameStepPlan plan = FrameStepPlan.create(opencl, new FrameStepSpec(g, 6, 0.5, 2, cb, false));
             FrameStepPlan composed = FrameStepPlan.composed(opencl, new FrameStepSpec(g, 6, 0.5, 2, cb, false))) {
            // when a batch runs
            byte[] frame = TestFrames.randomBytes(new SplittableRandom(13), g.rgbBytes());
            plan.execute(frame, frame);
            composed.execute(frame, frame);
            // then it is fused, says where, timed every stage on the device, and moves no residuals
            assertTrue(plan.fused(), plan.placement());
            assertTrue(plan.placement().startsWith("fused on opencl:"), plan.placement());
            assertFalse(composed.fused());
            assertEquals(List.of("upload", "patchify", "novelty-topk", "nearest", "download"), plan.plan().tasks());
            assertEquals(List.of("upload", "patchify", "novelty-topk", "nearest", "download"),
                    List.copyOf(plan.lastDeviceNanos().keySet()));
            assertTrue(plan.lastDeviceNanos().values().stream().allMatch(t -> t > 0), plan.lastDeviceNanos().toString());
            assertTrue(composed.lastDeviceNanos().isEmpty());
            assertTrue(plan.plan().transferBytesPerExecution() < composed.plan().transferBytesPerExecution()
                    + 2L * 2 * g.patches() * g.patchDim(), "fused moves no residuals");
            // and its residuals, fetched on demand, are the composed step's
            assertArrayEquals(composed.residuals(), plan.residuals());
        }
    }

    @Test
    void theBenchmarkMeasuresTheFusedStepAgainstTheComposedOneInTheSameRun() {
        // when a tiny benchmark runs on opencl
        dev.weir.kernels.bench.BenchReport report = dev.weir.kernels.bench.KernelBenchmark.run(
                new dev.weir.kernels.bench.BenchOptions("opencl", List.of("96x64"), List.of(32), 16, 2, 0, 2, 0.25, false));
        // then the step was fused, its device times are reported, and the composed baseline was measured
        dev.weir.kernels.bench.BenchReport.Case c = report.cases().getFirst();
        assertTrue(c.placement().startsWith("fused on opencl:"), c.placement());
        assertTrue(c.kernelDeviceMs().get("nearest") > 0, c.kernelDeviceMs().toString());
        assertTrue(c.composedFrameMs() > 0 && c.fusedSpeedup() > 0, c.toString());
    }

    @Test
    void aClosedPlanRefusesFurtherUseInsteadOfTouchingReleasedDeviceMemory() {
        // given a fused plan that ran and was closed
        PatchGrid g = new PatchGrid(64, 48, 16);
        ShapeCodebook cb = TestFrames.randomCodebook(new SplittableRandom(14), 8, g.patchDim(), 0);
        FrameStepPlan plan = FrameStepPlan.create(opencl, new FrameStepSpec(g, 6, 0.5, 1, cb, true));
        byte[] frame = TestFrames.randomBytes(new SplittableRandom(15), g.rgbBytes());
        plan.execute(frame);
        plan.close();
        // when / then: every further use is a clear error, not a crash of the OpenCL runtime
        assertThrows(IllegalStateException.class, plan::residuals);
        assertThrows(IllegalStateException.class, () -> plan.reference(new short[g.patches() * g.patchDim()]));
        assertThrows(IllegalStateException.class, () -> plan.execute(frame));
        plan.close();
    }

    /** Runs {@code paths} through the fused plan on OpenCL and frame by frame on jvm-scalar; compares everything. */
    private static void assertSameAsScalar(String[] paths, int patch, double keep, int batch, boolean track, int k) {
        assertSameAsScalar(opencl, paths, patch, keep, batch, track, k);
    }

    private static void assertSameAsScalar(VideoKernels backend, String[] paths, int patch, double keep, int batch,
                                           boolean track, int k) {
        PatchGrid g = TestFrames.geometryOf(paths[0], patch);
        ShapeCodebook cb = TestFrames.randomCodebook(new SplittableRandom(k + patch), k, g.patchDim(), 1);
        byte[][] frames = Arrays.stream(paths).map(TestFrames::rgb).toArray(byte[][]::new);
        short[] reference = TestFrames.randomVectors(new SplittableRandom(7), g.patches(), g.patchDim(), 255);
        try (FrameStepPlan expected = FrameStepPlan.composed(scalar, new FrameStepSpec(g, 6, keep, 1, cb, track));
             FrameStepPlan fused = FrameStepPlan.create(backend, new FrameStepSpec(g, 6, keep, batch, cb, track))) {
            assertTrue(fused.fused(), fused.placement());
            expected.reference(reference);
            fused.reference(reference);
            for (int f0 = 0; f0 + batch <= frames.length; f0 += batch) {
                // when
                FrameStepResult got = fused.execute(Arrays.copyOfRange(frames, f0, f0 + batch));
                int kept = got.keptPerFrame();
                int n = got.patches();
                int[] codes = got.dcCodes().clone();
                int[] keptPatches = got.keptPatches().clone();
                int[] tokens = got.tokens().clone();
                short[] residuals = fused.residuals().clone();
                for (int i = 0; i < batch; i++) {
                    FrameStepResult one = expected.execute(frames[f0 + i]);
                    // then
                    String where = "frame " + (f0 + i);
                    assertArrayEquals(Arrays.copyOf(one.dcCodes(), 3 * n), Arrays.copyOfRange(codes, i * 3 * n, (i + 1) * 3 * n), where);
                    assertArrayEquals(Arrays.copyOf(one.keptPatches(), kept), Arrays.copyOfRange(keptPatches, i * kept, (i + 1) * kept), where);
                    assertArrayEquals(Arrays.copyOf(one.tokens(), kept), Arrays.copyOfRange(tokens, i * kept, (i + 1) * kept), where);
                    int len = n * g.patchDim();
                    assertArrayEquals(Arrays.copyOf(expected.residuals(), len), Arrays.copyOfRange(residuals, i * len, (i + 1) * len), where);
                }
            }
        }
    }
}
