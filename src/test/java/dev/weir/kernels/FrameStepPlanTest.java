package dev.weir.kernels;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The frame step plan: patchify, novelty top-k and search, batched or not, on any backend. */
class FrameStepPlanTest {

    static final String[] TREE = {"samples/video/tree/frame-0001.jpg", "samples/video/tree/frame-0002.jpg",
            "samples/video/tree/frame-0003.jpg", "samples/video/tree/frame-0004.jpg"};

    @Test
    void keepsTheMostNovelPatchesAndSearchesThemLikeAPlainComputation() {
        // given four consecutive real frames, patch 16, keep 25%, a random codebook, reference tracking
        PatchGrid g = TestFrames.geometryOf(TREE[0], 16);
        ShapeCodebook cb = TestFrames.randomCodebook(new SplittableRandom(1), 256, g.patchDim(), 1);
        FrameStepSpec spec = new FrameStepSpec(g, 6, 0.25, 1, cb, true);
        List<byte[]> frames = Arrays.stream(TREE).map(TestFrames::rgb).toList();
        try (VideoKernels jvm = Kernels.video("jvm"); FrameStepPlan plan = FrameStepPlan.create(jvm, spec)) {
            short[] reference = new short[g.patches() * g.patchDim()];
            for (byte[] frame : frames) {
                // when the plan runs a frame
                FrameStepResult result = plan.execute(frame);
                // then it kept and searched what a plain step-by-step computation keeps and finds
                Expected expected = plainFrameStep(frame, g, reference, spec);
                assertEquals(spec.keptPerFrame(), result.keptPerFrame());
                assertArrayEquals(expected.kept, Arrays.copyOf(result.keptPatches(), result.keptPerFrame()));
                assertArrayEquals(expected.tokens, Arrays.copyOf(result.tokens(), result.keptPerFrame()));
                assertArrayEquals(expected.codes, Arrays.copyOf(result.dcCodes(), 3 * g.patches()));
                reference = expected.residuals;
            }
        }
    }

    @Test
    void batchedExecutionEqualsFrameByFrameOnEveryCpuBackend() {
        // given the same frames run one by one on jvm-scalar and four per execution on jvm
        PatchGrid g = TestFrames.geometryOf(TREE[0], 8);
        ShapeCodebook cb = TestFrames.randomCodebook(new SplittableRandom(2), 512, g.patchDim(), 0);
        byte[][] frames = Arrays.stream(TREE).map(TestFrames::rgb).toArray(byte[][]::new);
        List<int[]> single = new ArrayList<>();
        try (VideoKernels scalar = Kernels.video("jvm-scalar");
             FrameStepPlan plan = FrameStepPlan.create(scalar, new FrameStepSpec(g, 5, 0.25, 1, cb, true))) {
            for (byte[] frame : frames) {
                FrameStepResult r = plan.execute(frame);
                single.add(Arrays.copyOf(r.keptPatches(), r.keptPerFrame()));
                single.add(Arrays.copyOf(r.tokens(), r.keptPerFrame()));
            }
        }
        // when
        try (VideoKernels jvm = Kernels.video("jvm");
             FrameStepPlan plan = FrameStepPlan.create(jvm, new FrameStepSpec(g, 5, 0.25, 4, cb, true))) {
            FrameStepResult batch = plan.execute(frames);
            // then every frame's kept patches and tokens are the same
            int k = batch.keptPerFrame();
            assertEquals(4, batch.frames());
            for (int f = 0; f < 4; f++) {
                assertArrayEquals(single.get(2 * f), Arrays.copyOfRange(batch.keptPatches(), f * k, (f + 1) * k), "frame " + f);
                assertArrayEquals(single.get(2 * f + 1), Arrays.copyOfRange(batch.tokens(), f * k, (f + 1) * k), "frame " + f);
            }
        }
    }

    @Test
    void thePlanDeclaresItsBuffersAndTimesItsTasks() {
        // given a plan of batch 2
        PatchGrid g = new PatchGrid(64, 48, 16);
        ShapeCodebook cb = TestFrames.randomCodebook(new SplittableRandom(3), 16, g.patchDim(), 0);
        try (VideoKernels jvm = Kernels.video("jvm");
             FrameStepPlan plan = FrameStepPlan.create(jvm, new FrameStepSpec(g, 6, 0.5, 2, cb, false))) {
            // when it runs twice
            byte[] frame = TestFrames.randomBytes(new SplittableRandom(4), g.rgbBytes());
            plan.execute(frame, frame);
            plan.execute(frame);
            // then it counted the executions, timed each task, and moves frames every execution but not the codebook
            ExecutionPlan p = plan.plan();
            assertEquals(2, p.executions());
            assertEquals(List.of("patchify", "novelty-topk", "nearest"), List.copyOf(p.lastTaskNanos().keySet()));
            assertTrue(p.lastTaskNanos().values().stream().allMatch(t -> t > 0));
            assertTrue(p.transferBytesPerExecution() >= 2L * g.rgbBytes());
            assertEquals((long) cb.entries().length + 2L * g.patches() * g.patchDim(), p.residentBytes());
        }
    }

    @Test
    void badInputIsRejectedBeforeAnyWork() {
        PatchGrid g = new PatchGrid(64, 48, 16);
        ShapeCodebook cb = TestFrames.randomCodebook(new SplittableRandom(5), 8, g.patchDim(), 0);
        ShapeCodebook wrongDim = TestFrames.randomCodebook(new SplittableRandom(5), 8, 192, 0);
        // a codebook of another patch size
        assertThrows(IllegalArgumentException.class, () -> new FrameStepSpec(g, 6, 0.25, 1, wrongDim, true));
        // an absurd batch of large frames
        assertThrows(IllegalArgumentException.class,
                () -> new FrameStepSpec(new PatchGrid(8192, 8192, 8), 6, 0.25, 256,
                        TestFrames.randomCodebook(new SplittableRandom(5), 1, 192, 0), true));
        try (VideoKernels jvm = Kernels.video("jvm");
             FrameStepPlan plan = FrameStepPlan.create(jvm, new FrameStepSpec(g, 6, 0.25, 1, cb, true))) {
            // a frame of the wrong size, and more frames than the batch
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> plan.execute(new byte[10]));
            assertTrue(e.getMessage().contains("expected " + g.rgbBytes()), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> plan.execute(new byte[g.rgbBytes()], new byte[g.rgbBytes()]));
            assertEquals(0, plan.plan().executions());
        }
    }

    record Expected(int[] codes, short[] residuals, int[] kept, int[] tokens) {
    }

    /** The frame step written out plainly on the scalar reference, with a sort instead of a ranking. */
    static Expected plainFrameStep(byte[] frame, PatchGrid g, short[] reference, FrameStepSpec spec) {
        VideoKernels scalar = Kernels.video("jvm-scalar");
        int n = g.patches();
        int d = g.patchDim();
        int[] codes = new int[3 * n];
        short[] residuals = new short[n * d];
        scalar.patchify(frame, g, spec.dcBits(), codes, residuals);
        double[] cosine = new double[n];
        for (int i = 0; i < n; i++) {
            long dot = 0;
            long a = 0;
            long b = 0;
            for (int k = 0; k < d; k++) {
                dot += residuals[i * d + k] * reference[i * d + k];
                a += residuals[i * d + k] * residuals[i * d + k];
                b += reference[i * d + k] * reference[i * d + k];
            }
            cosine[i] = a == 0 || b == 0 ? (a == b ? 1 : 0) : dot / Math.sqrt((double) a * b);
        }
        int k = spec.keptPerFrame();
        int[] kept = IntStream.range(0, n).boxed()
                .sorted(Comparator.<Integer>comparingDouble(i -> cosine[i]).thenComparingInt(i -> i))
                .limit(k).mapToInt(Integer::intValue).sorted().toArray();
        int[] tokens = new int[k];
        scalar.nearest(residuals, kept, k, spec.codebook(), tokens);
        return new Expected(codes, residuals, kept, tokens);
    }
}
