package dev.weir.codec.video;

import dev.weir.codec.TokenPacket;
import dev.weir.codec.compress.Budget;
import dev.weir.codec.compress.Cacher;
import dev.weir.codec.video.internals.PatchVideoEncoder;
import dev.weir.kernels.Kernels;
import dev.weir.kernels.ShapeCodebook;
import dev.weir.kernels.VideoKernels;
import dev.weir.kernels.bench.BenchReport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.IntFunction;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The product's encoder through the patch step fused on the real OpenCL device (PoCL's CPU device in CI) sends,
 * frame for frame, exactly the packets of the same encoder on the {@code jvm-scalar} reference: on the real sample
 * clips with the default compression, through a scene change, under a rate budget, with STC's update-ratio cacher,
 * without a cacher, and at every patch size with edge patches. A snapshot taken on one backend restores on the
 * other and the stream continues identically.
 */
class OpenClProductStepIT {

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

    static Stream<Arguments> streams() {
        VideoCodebook p16 = VideoCodebook.defaultFor(16);
        CompressionConfig defaults = CompressionConfig.defaults();
        return Stream.of(
                Arguments.of("tree, defaults", p16, defaults, clip(TestMedia::treeFrame, 1, 10)),
                Arguments.of("coffee, defaults", p16, defaults, clip(TestMedia::coffeeFrame, 1, 8)),
                Arguments.of("tree, then a scene change", p16, defaults, sceneChange()),
                Arguments.of("tree, rate budget", p16, defaults.withBudget(new Budget.Rate(450, 15, 2)),
                        clip(TestMedia::treeFrame, 1, 10)),
                Arguments.of("tree, update-ratio cacher", p16, defaults.withCache(new Cacher.UpdateRatio(0.1)),
                        clip(TestMedia::treeFrame, 1, 8)),
                Arguments.of("coffee, no cacher", p16, defaults.withCache(new Cacher.Off()),
                        clip(TestMedia::coffeeFrame, 1, 4)),
                Arguments.of("tree 300x230, P=8", VideoCodebook.defaultFor(8), defaults, cropped(1, 6)),
                Arguments.of("tree 300x230, P=16", p16, defaults, cropped(1, 6)),
                Arguments.of("tree 300x230, P=32", randomP32(), defaults, cropped(1, 6)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("streams")
    void theFusedStepSendsTheScalarReferencesPacketsFrameForFrame(String name, VideoCodebook codebook,
                                                                  CompressionConfig compression, List<RgbFrame> frames) {
        // given the product's encoder on OpenCL (fused) and on the scalar reference
        try (PatchVideoEncoder device = new PatchVideoEncoder(codebook, opencl, compression);
             PatchVideoEncoder reference = new PatchVideoEncoder(codebook, scalar, compression)) {
            int keyframes = 0;
            int pruned = 0;
            for (int f = 0; f < frames.size(); f++) {
                // when each encodes the frame
                TokenPacket expected = reference.encode(f, frames.get(f)).packet();
                TokenPacket actual = device.encode(f, frames.get(f)).packet();
                // then the packets are the same, token for token
                assertEquals(expected, actual, name + ", frame " + f);
                assertTrue(device.plan().fused(), device.plan().placement());
                keyframes += actual.keyframe() ? 1 : 0;
                pruned += actual.prunedCount();
            }
            // and both hold the picture the decoder shows
            assertArrayEquals(reference.reference().orElseThrow().rgb(), device.reference().orElseThrow().rgb(), name);
            if (name.contains("scene change")) {
                assertTrue(keyframes >= 2, "the scene change made a keyframe");
            }
            if (name.contains("budget") || name.contains("defaults")) {
                assertTrue(pruned > 0 || name.startsWith("coffee"), "the pruner chose among the changed patches");
            }
        }
    }

    @Test
    void aSnapshotTakenOnTheDeviceRestoresOnTheCpuAndOneTakenOnTheCpuOnTheDevice() {
        VideoCodebook codebook = VideoCodebook.defaultFor(16);
        CompressionConfig compression = CompressionConfig.defaults();
        List<RgbFrame> frames = clip(TestMedia::treeFrame, 1, 10);
        for (boolean fromDevice : new boolean[] {true, false}) {
            // given a stream encoded for five frames on one backend, and an uninterrupted one beside it
            try (PatchVideoEncoder first = new PatchVideoEncoder(codebook, fromDevice ? opencl : scalar, compression);
                 PatchVideoEncoder uninterrupted = new PatchVideoEncoder(codebook, scalar, compression);
                 PatchVideoEncoder second = new PatchVideoEncoder(codebook, fromDevice ? scalar : opencl, compression)) {
                for (int f = 0; f < 5; f++) {
                    first.encode(f, frames.get(f));
                    uninterrupted.encode(f, frames.get(f));
                }
                // when its snapshot is restored on the other backend
                second.restore(first.snapshot());
                // then the stream goes on there exactly as without the interruption
                for (int f = 5; f < frames.size(); f++) {
                    assertEquals(uninterrupted.encode(f, frames.get(f)).packet(), second.encode(f, frames.get(f)).packet(),
                            (fromDevice ? "device to cpu" : "cpu to device") + ", frame " + f);
                }
                assertArrayEquals(uninterrupted.reference().orElseThrow().rgb(), second.reference().orElseThrow().rgb());
            }
        }
    }

    @Test
    void theBenchmarkTimesTheFusedStepItsStagesTheComposedOneAndMatchesTheReference() {
        // when the benchmark runs on OpenCL with jvm beside it
        BenchReport report = VideoStepBenchmark.run(VideoStepBenchmarkTest.tiny("opencl", "jvm"));
        // then the step was fused, each device stage timed, composed too, and every packet equal to jvm's
        BenchReport.Case c = report.cases().getFirst();
        assertTrue(c.fused().placement().startsWith("fused on opencl:"), c.fused().placement());
        assertTrue(c.fused().deviceMs().keySet().containsAll(List.of("frame-up", "measure", "search-0", "repaint")),
                c.fused().deviceMs().toString());
        assertEquals(96 * 64 * 3, c.fused().deviceBytes());
        assertTrue(c.composed().placement().startsWith("composed on opencl:"), c.composed().placement());
        assertTrue(c.matchesReference());
        assertTrue(c.fusedSpeedup() > 0);
    }

    private static List<RgbFrame> clip(IntFunction<RgbFrame> frame, int from, int to) {
        List<RgbFrame> frames = new ArrayList<>();
        for (int f = from; f <= to; f++) {
            frames.add(frame.apply(f));
        }
        return frames;
    }

    /** Four tree frames, then the same frames with their colours inverted: every patch changes at once. */
    private static List<RgbFrame> sceneChange() {
        List<RgbFrame> frames = clip(TestMedia::treeFrame, 1, 4);
        for (RgbFrame f : clip(TestMedia::treeFrame, 5, 7)) {
            byte[] inverted = f.rgb().clone();
            for (int i = 0; i < inverted.length; i++) {
                inverted[i] = (byte) (255 - (inverted[i] & 0xFF));
            }
            frames.add(new RgbFrame(f.width(), f.height(), inverted));
        }
        return frames;
    }

    /** Tree frames cropped to 300x230: edge patches at every patch size. */
    private static List<RgbFrame> cropped(int from, int to) {
        List<RgbFrame> frames = new ArrayList<>();
        for (RgbFrame f : clip(TestMedia::treeFrame, from, to)) {
            byte[] out = new byte[300 * 230 * 3];
            for (int y = 0; y < 230; y++) {
                System.arraycopy(f.rgb(), y * 320 * 3, out, y * 300 * 3, 300 * 3);
            }
            frames.add(new RgbFrame(300, 230, out));
        }
        return frames;
    }

    /** There is no built-in P=32 codebook: two random stages (shift 1, then 0). */
    private static VideoCodebook randomP32() {
        SplittableRandom random = new SplittableRandom(32);
        int d = 32 * 32 * 3;
        return VideoCodebook.of("random-p32", 32, 6, List.of(randomStage(random, 64, d, 1), randomStage(random, 16, d, 0)));
    }

    private static ShapeCodebook randomStage(SplittableRandom random, int size, int d, int shift) {
        byte[] q = new byte[size * d];
        for (int i = 0; i < q.length; i++) {
            q[i] = (byte) random.nextInt(-127, 128);
        }
        return new ShapeCodebook(size, d, shift, q);
    }
}
