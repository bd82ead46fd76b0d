package dev.weir.kernels;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The contract of {@link PatchStepPlan} on a backend: frame after frame, the plan the backend makes (fused on a
 * device, composed elsewhere) measures, tokenizes, repaints and reports exactly what the step composed on the
 * {@code jvm-scalar} reference does, on real frames with edge patches at every patch size.
 */
abstract class PatchStepContract {

    static final String[] TREE = {"samples/video/tree/frame-0001.jpg", "samples/video/tree/frame-0002.jpg",
            "samples/video/tree/frame-0003.jpg", "samples/video/tree/frame-0004.jpg", "samples/video/tree/frame-0005.jpg"};

    protected VideoKernels backend;
    protected VideoKernels scalar;

    protected abstract VideoKernels openBackend();

    @BeforeEach
    void open() {
        backend = openBackend();
        scalar = Kernels.video("jvm-scalar");
    }

    @AfterEach
    void close() {
        backend.close();
        scalar.close();
    }

    /** The first {@code width}×{@code height} pixels of a 320×240 tree frame: not a multiple of any patch size. */
    static byte[] cropped(String sample, int width, int height) {
        byte[] full = TestFrames.rgb(sample);
        byte[] out = new byte[width * height * 3];
        for (int y = 0; y < height; y++) {
            System.arraycopy(full, y * 320 * 3, out, y * width * 3, width * 3);
        }
        return out;
    }

    static PatchStepSpec spec(int patch, int width, int height, long seed) {
        PatchGrid g = new PatchGrid(width, height, patch);
        SplittableRandom random = new SplittableRandom(seed);
        int k0 = patch == 32 ? 64 : 256;
        return new PatchStepSpec(g, 6, List.of(TestFrames.randomCodebook(random, k0, g.patchDim(), 1),
                TestFrames.randomCodebook(random, 32, g.patchDim(), 0)));
    }

    /** A seeded selection: about a third of the patches searched, about half of those sent (all on frame 0). */
    static PatchSelection randomSelection(int patches, int frame, long seed) {
        if (frame == 0) {
            return PatchSelection.of(IntStream.range(0, patches).toArray());
        }
        SplittableRandom random = new SplittableRandom(seed * 31 + frame);
        int[] searched = IntStream.range(0, patches).filter(i -> random.nextInt(3) == 0).toArray();
        int[] sent = Arrays.stream(searched).filter(i -> random.nextBoolean()).toArray();
        return new PatchSelection(searched, sent);
    }

    @ParameterizedTest
    @ValueSource(ints = {8, 16, 32})
    void frameAfterFrameTheStepEqualsTheScalarStep(int patch) {
        // given five real frames cropped to 300x230 (edge patches at every patch size), two random stages, and
        // per frame a random selection (a keyframe first)
        PatchStepSpec spec = spec(patch, 300, 230, patch);
        try (PatchStepPlan plan = PatchStepPlan.create(backend, spec);
             PatchStepPlan reference = PatchStepPlan.composed(scalar, spec)) {
            for (int f = 0; f < TREE.length; f++) {
                byte[] frame = cropped(TREE[f], 300, 230);
                PatchSelection selection = randomSelection(spec.patches(), f, patch);
                Seen seen = new Seen();
                Seen expectedSeen = new Seen();
                // when both run the frame
                PatchStepResult result = plan.execute(frame, seen.choosing(selection));
                PatchStepResult expected = reference.execute(frame, expectedSeen.choosing(selection));
                // then they measured, sent and painted the same, and remember the same picture
                String at = "P=" + patch + " frame " + f + " on " + plan.placement();
                assertArrayEquals(expectedSeen.squaredError, seen.squaredError, at);
                assertArrayEquals(expectedSeen.cellMeans, seen.cellMeans, at);
                assertArrayEquals(expected.positions(), result.positions(), at);
                assertArrayEquals(expected.dcCodes(), result.dcCodes(), at);
                assertArrayEquals(expected.shapeIds(), result.shapeIds(), at);
                assertArrayEquals(expected.errorAtSend(), result.errorAtSend(), at);
                assertArrayEquals(reference.reference(), plan.reference(), at);
            }
        }
    }

    @Test
    void theComposedStepIsTheKernelsCalledOneByOne() {
        // given a frame measured against a previous frame as the reference, some patches sent
        PatchStepSpec spec = spec(16, 300, 230, 7);
        PatchGrid g = spec.grid();
        byte[] previous = cropped(TREE[0], 300, 230);
        byte[] frame = cropped(TREE[1], 300, 230);
        int[] sent = {0, 5, 18, 19, 40, spec.patches() - 1};
        try (PatchStepPlan plan = PatchStepPlan.create(backend, spec)) {
            plan.reference(previous);
            Seen seen = new Seen();
            // when
            PatchStepResult result = plan.execute(frame, seen.choosing(PatchSelection.of(sent)));
            // then the measures are the scalar kernels' on the frame and the reference
            long[] error = new long[g.patches()];
            scalar.patchSquaredError(frame, previous, g, error);
            byte[] cells = new byte[g.patches() * VideoKernels.CELL_MEANS];
            scalar.cellMeans(frame, g, cells);
            assertArrayEquals(error, seen.squaredError);
            assertArrayEquals(cells, seen.cellMeans);
            // and the sent patches are patchify, nearest, subtract, nearest of those rows
            int[] codes = new int[3 * g.patches()];
            short[] residuals = new short[g.patches() * g.patchDim()];
            scalar.patchify(frame, g, spec.dcBits(), codes, residuals);
            int[] stage0 = new int[sent.length];
            int[] stage1 = new int[sent.length];
            scalar.nearest(residuals, sent, sent.length, spec.stages().get(0), stage0);
            scalar.subtract(residuals, sent, sent.length, spec.stages().get(0), stage0);
            scalar.nearest(residuals, sent, sent.length, spec.stages().get(1), stage1);
            int[] shapes = IntStream.concat(Arrays.stream(stage0), Arrays.stream(stage1)).toArray();
            int[] dc = Arrays.stream(sent).flatMap(i -> IntStream.of(codes[3 * i], codes[3 * i + 1], codes[3 * i + 2])).toArray();
            assertArrayEquals(shapes, result.shapeIds());
            assertArrayEquals(dc, result.dcCodes());
            // and painted onto the reference as the decoder paints them, with their error against the frame
            byte[] painted = previous.clone();
            scalar.reconstruct(painted, g, spec.dcBits(), sent, sent.length, dc, shapes,
                    spec.stages().toArray(ShapeCodebook[]::new));
            assertArrayEquals(painted, plan.reference());
            long[] after = new long[g.patches()];
            scalar.patchSquaredError(frame, painted, g, after);
            assertArrayEquals(Arrays.stream(sent).mapToLong(i -> after[i]).mapToInt(e -> (int) e).toArray(),
                    result.errorAtSend());
        }
    }

    @Test
    void withoutACacherEveryPatchIsTokenizedAndOnlyTheKeptAreSent() {
        // given every patch searched but three sent (the encoder without a cacher), after a keyframe
        PatchStepSpec spec = spec(8, 96, 72, 11);
        byte[] frame = cropped(TREE[2], 96, 72);
        int[] all = IntStream.range(0, spec.patches()).toArray();
        try (PatchStepPlan plan = PatchStepPlan.create(backend, spec);
             PatchStepPlan reference = PatchStepPlan.composed(scalar, spec)) {
            plan.execute(cropped(TREE[1], 96, 72), m -> PatchSelection.of(all));
            reference.execute(cropped(TREE[1], 96, 72), m -> PatchSelection.of(all));
            // when
            PatchSelection selection = new PatchSelection(all, new int[] {3, 50, spec.patches() - 1});
            PatchStepResult result = plan.execute(frame, m -> selection);
            PatchStepResult expected = reference.execute(frame, m -> selection);
            // then the three come back, as the reference sends them
            assertEquals(3, result.count());
            assertArrayEquals(expected.shapeIds(), result.shapeIds());
            assertArrayEquals(expected.errorAtSend(), result.errorAtSend());
            assertArrayEquals(reference.reference(), plan.reference());
        }
    }

    @Test
    void aFrameWithNothingSentLeavesThePictureAsItWas() {
        // given a plan whose picture is a frame
        PatchStepSpec spec = spec(16, 300, 230, 13);
        byte[] picture = cropped(TREE[3], 300, 230);
        try (PatchStepPlan plan = PatchStepPlan.create(backend, spec)) {
            plan.reference(picture);
            // when a frame sends nothing
            PatchStepResult result = plan.execute(cropped(TREE[4], 300, 230), m -> PatchSelection.of(new int[0]));
            // then nothing comes back and the picture is unchanged
            assertEquals(0, result.count());
            assertEquals(0, result.shapeIds().length);
            assertArrayEquals(picture, plan.reference());
        }
    }

    @Test
    void selectionsThatAreNotAscendingOrSendWhatWasNotSearchedAreRefused() {
        PatchStepSpec spec = spec(16, 96, 64, 17);
        byte[] frame = new byte[spec.grid().rgbBytes()];
        try (PatchStepPlan plan = PatchStepPlan.create(backend, spec)) {
            assertThrows(IllegalArgumentException.class, () -> plan.execute(frame, m -> PatchSelection.of(new int[] {3, 2})));
            assertThrows(IllegalArgumentException.class, () -> plan.execute(frame, m -> PatchSelection.of(new int[] {24})));
            assertThrows(IllegalArgumentException.class,
                    () -> plan.execute(frame, m -> new PatchSelection(new int[] {1, 2}, new int[] {3})));
            IllegalArgumentException wrongSize = assertThrows(IllegalArgumentException.class,
                    () -> plan.execute(new byte[10], m -> PatchSelection.of(new int[0])));
            assertTrue(wrongSize.getMessage().contains("expected " + spec.grid().rgbBytes()), wrongSize.getMessage());
            // and a valid frame still runs afterwards
            assertEquals(2, plan.execute(frame, m -> PatchSelection.of(new int[] {0, 23})).count());
        }
    }

    @Test
    void thePlanDeclaresItsBuffersAndTimesItsTasks() {
        // given a plan
        PatchStepSpec spec = spec(16, 96, 64, 19);
        try (PatchStepPlan plan = PatchStepPlan.create(backend, spec)) {
            // when it runs twice
            byte[] frame = TestFrames.randomBytes(new SplittableRandom(4), spec.grid().rgbBytes());
            plan.execute(frame, m -> PatchSelection.of(new int[] {1, 2, 3}));
            plan.execute(frame, m -> PatchSelection.of(new int[] {4}));
            // then its three tasks were timed, the codebooks and the picture are resident, the frame moves
            ExecutionPlan p = plan.plan();
            assertEquals(2, p.executions());
            assertEquals(List.of("measure", "select", "encode"), p.tasks());
            long codebookBytes = spec.stages().stream().mapToLong(s -> s.entries().length).sum();
            assertEquals(codebookBytes + spec.grid().rgbBytes(), p.residentBytes());
            assertTrue(p.transferBytesPerExecution() >= spec.grid().rgbBytes());
        }
    }

    /** What a selector was shown, copied (the measures are the plan's buffers). */
    static final class Seen {
        long[] squaredError;
        byte[] cellMeans;

        PatchSelector choosing(PatchSelection selection) {
            return measures -> {
                squaredError = measures.squaredError().clone();
                cellMeans = measures.cellMeans().clone();
                return selection;
            };
        }
    }
}
