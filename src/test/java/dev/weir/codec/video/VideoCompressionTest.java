package dev.weir.codec.video;

import dev.weir.codec.SnapshotFormatException;
import dev.weir.codec.TokenPacket;
import dev.weir.codec.compress.Budget;
import dev.weir.codec.compress.Cacher;
import dev.weir.kernels.PatchGrid;
import dev.weir.kernels.Kernels;
import dev.weir.kernels.VideoKernels;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The streaming compression of the video encoder (cacher, keyframes, pruner, budgets, compact state) on
 * the real frames of samples/: the tree clip (moving camera, 320x240, 300 patches of 16) and the
 * coffee-sprite clip (static camera, 640x480).
 */
class VideoCompressionTest {

    private static VideoKernels real;
    private static VideoCodebook p16;
    private static int stages;
    private CountingKernels kernels;

    @BeforeAll
    static void open() {
        real = Kernels.video("jvm");
        p16 = VideoCodebook.defaultFor(16);
        stages = p16.stages().size();
    }

    @AfterAll
    static void close() {
        real.close();
    }

    @BeforeEach
    void count() {
        kernels = new CountingKernels(real);
    }

    @Test
    void staticContentReusesEveryTokenWithoutSearching() {
        // given a default encoder that has sent tree frame 1 as a keyframe
        VideoEncoder encoder = VideoEncoder.create(p16, kernels);
        RgbFrame frame = TestMedia.treeFrame(1);
        assertTrue(encoder.encode(0, frame).packet().keyframe());
        kernels.reset();

        // when the same picture comes again
        TokenPacket packet = encoder.encode(1, frame).packet();

        // then nothing is sent, every position is a cache hit, and no codebook search ran
        assertFalse(packet.keyframe());
        assertEquals(0, packet.positionCount());
        assertArrayEquals(IntStream.range(0, 300).toArray(), packet.reusedPositions());
        assertEquals(0, packet.prunedCount());
        assertEquals(0, kernels.searchedVectors());
    }

    @Test
    void aChangedRegionResendsOnlyItsPatches() {
        // given an encoder that has sent tree frame 1
        VideoEncoder encoder = VideoEncoder.create(p16, kernels);
        RgbFrame tree = TestMedia.treeFrame(1);
        encoder.encode(0, tree);
        kernels.reset();

        // when a 32x32 block at (64, 48) (patches 64, 65, 84, 85) shows the coffee photo instead
        RgbFrame changed = paste(tree, cropCoffee(), 64, 48, 32, 32);
        TokenPacket packet = encoder.encode(1, changed).packet();

        // then exactly those 4 patches are searched and sent, and the other 296 are reused
        int[] block = {64, 65, 84, 85};
        assertArrayEquals(block, packet.positions());
        assertEquals(296, packet.reusedPositions().length);
        assertEquals(4L * stages, kernels.searchedVectors());
        assertArrayEquals(block, kernels.lastRows());
        // and the decoder, fed the packets, shows the new block as a fresh encoding of the changed frame would
        RgbFrame direct = roundTrip(changed);
        VideoDecoder decoder = VideoDecoder.create(p16, real);
        VideoEncoder again = VideoEncoder.create(p16, real);
        FrameGeometry g = TestMedia.layoutOf(again, tree);
        decoder.decode(g, again.encode(0, tree).packet());
        RgbFrame decoded = decoder.decode(g, again.encode(1, changed).packet());
        for (int y = 48; y < 80; y++) {
            for (int x = 64; x < 96; x++) {
                int o = (y * 320 + x) * 3;
                assertEquals(direct.rgb()[o], decoded.rgb()[o], "pixel " + x + "," + y);
            }
        }
    }

    @Test
    void keyframesComeOnTheInterval() {
        // given an encoder with a keyframe every 4 frames, fed the same picture 9 times
        VideoEncoder encoder = VideoEncoder.create(p16, kernels, CompressionConfig.defaults().withKeyframeInterval(4));
        RgbFrame frame = TestMedia.treeFrame(1);
        List<Integer> keyframes = new ArrayList<>();
        for (int f = 0; f < 9; f++) {
            TokenPacket packet = encoder.encode(f, frame).packet();
            if (packet.keyframe()) {
                keyframes.add(f);
                // then each keyframe carries every patch
                assertEquals(300, packet.positionCount());
            } else {
                assertEquals(0, packet.positionCount());
            }
        }
        // and they are frames 0, 4 and 8
        assertEquals(List.of(0, 4, 8), keyframes);
    }

    @Test
    void aSceneChangeTriggersAKeyframe() {
        // given tree frame 1 twice, then the coffee photo (another scene) at the same size
        RgbFrame tree = TestMedia.treeFrame(1);
        RgbFrame coffee = cropCoffee();

        // when the default encoder encodes them
        VideoEncoder encoder = VideoEncoder.create(p16, kernels);
        encoder.encode(0, tree);
        encoder.encode(1, tree);
        TokenPacket cut = encoder.encode(2, coffee).packet();

        // then the cut is a keyframe with every patch
        assertTrue(cut.keyframe());
        assertEquals(300, cut.positionCount());

        // and with scene-change keyframes disabled the cut is pruned to the 15% budget instead
        VideoEncoder noSceneCut = VideoEncoder.create(p16, kernels, CompressionConfig.defaults().withSceneChangeShare(2.0));
        noSceneCut.encode(0, tree);
        noSceneCut.encode(1, tree);
        TokenPacket pruned = noSceneCut.encode(2, coffee).packet();
        assertFalse(pruned.keyframe());
        assertEquals(45, pruned.positionCount());
        assertEquals(pruned.positionsChanged() - 45, pruned.prunedCount());
    }

    @Test
    void prunedPatchesStayStaleAndAreSentOnLaterFrames() {
        // given an encoder allowed 20 patches per frame, no keyframes after the first, and a decoder
        CompressionConfig config = CompressionConfig.defaults().withKeyframeInterval(0).withSceneChangeShare(2.0)
                .withBudget(new Budget.PerUnit(20 * stages));
        VideoEncoder encoder = VideoEncoder.create(p16, kernels, config);
        VideoDecoder decoder = VideoDecoder.create(p16, real);
        RgbFrame tree = TestMedia.treeFrame(1);
        RgbFrame coffee = cropCoffee();
        FrameGeometry g = TestMedia.layoutOf(encoder, tree);
        RgbFrame before = decoder.decode(g, encoder.encode(0, tree).packet());

        // when the coffee photo replaces the picture and stays
        TokenPacket first = encoder.encode(1, coffee).packet();
        RgbFrame afterFirst = decoder.decode(g, first);

        // then the first packet carries 20 patches and prunes the rest of the changed ones
        assertEquals(20, first.positionCount());
        assertTrue(first.positionsChanged() > 20, "changed " + first.positionsChanged());
        assertEquals(first.positionsChanged() - 20, first.prunedCount());
        // and every pixel outside the sent patches still shows the old picture
        TreeSet<Integer> sent = new TreeSet<>();
        for (int p : first.positions()) {
            sent.add(p);
        }
        assertPatchesEqual(g.grid(), before, afterFirst, IntStream.range(0, 300).filter(p -> !sent.contains(p)).toArray());

        // when the same picture keeps coming, each packet carries at most 20 patches never sent before
        RgbFrame decoded = afterFirst;
        for (int f = 2; f < 40; f++) {
            TokenPacket packet = encoder.encode(f, coffee).packet();
            assertTrue(packet.positionCount() <= 20);
            for (int p : packet.positions()) {
                assertTrue(sent.add(p), "patch " + p + " sent twice");
            }
            decoded = decoder.decode(g, packet);
            if (packet.positionCount() == 0) {
                break;
            }
        }
        // then in the end every changed patch was sent, each showing what a full encoding of the photo shows
        assertEquals(first.positionsChanged(), sent.size());
        assertPatchesEqual(g.grid(), roundTrip(coffee), decoded, sent.stream().mapToInt(Integer::intValue).toArray());
    }

    @Test
    void aRateBudgetIsNeverExceededAndBanksQuietFrames() {
        // given a rate of 30 patches per frame at 15 fps, a bank of 1 s (450 patches), on tree frame 1 held for 7
        // frames (quiet), then 19 frames of the moving camera (busy)
        double perFrame = 30.0 * stages;
        Budget.Rate rate = new Budget.Rate(perFrame * 15, 15, 1);
        double cap = perFrame * 15;
        VideoEncoder encoder = VideoEncoder.create(p16, kernels, CompressionConfig.defaults().withBudget(rate));
        List<RgbFrame> frames = new ArrayList<>();
        for (int f = 0; f < 7; f++) {
            frames.add(TestMedia.treeFrame(1));
        }
        for (int f = 2; f <= 20; f++) {
            frames.add(TestMedia.treeFrame(f));
        }

        // when the encoder encodes them
        long[] tokens = new long[frames.size()];
        for (int f = 0; f < frames.size(); f++) {
            tokens[f] = encoder.encode(f, frames.get(f)).packet().tokens().length;
        }

        // then no run of frames carries more than the bank plus the rate over that run
        for (int a = 0; a < tokens.length; a++) {
            long sum = 0;
            for (int b = a; b < tokens.length; b++) {
                sum += tokens[b];
                assertTrue(sum <= cap + (b - a + 1) * perFrame + 1e-6,
                        "frames " + a + ".." + b + " carry " + sum + " tokens");
            }
        }
        // and the first busy frame spends what the quiet frames banked: more than one frame's rate
        assertTrue(tokens[7] > perFrame, "first busy frame carries " + tokens[7]);
    }

    @Test
    void theUpdateRatioModeReencodesAFixedShare() {
        // given an encoder in STC's fixed update-ratio mode at 10% and tree frame 1 sent
        VideoEncoder encoder = VideoEncoder.create(p16, kernels,
                CompressionConfig.defaults().withCache(new Cacher.UpdateRatio(0.1)));
        encoder.encode(0, TestMedia.treeFrame(1));
        kernels.reset();

        // when the camera moves on
        TokenPacket packet = encoder.encode(1, TestMedia.treeFrame(2)).packet();

        // then 30 of the 300 patches are searched and sent
        assertEquals(30, packet.positionCount());
        assertEquals(30L * stages, kernels.searchedVectors());
    }

    @Test
    void encoderReferenceEqualsDecoderOutputBitForBit() {
        // given a tight budget (5% of the patches) that prunes most changes of the moving camera
        VideoEncoder encoder = VideoEncoder.create(p16, real, CompressionConfig.defaults().withBudget(new Budget.Ratio(0.05)));
        VideoDecoder decoder = VideoDecoder.create(p16, real);
        int pruned = 0;
        for (int f = 1; f <= 30; f++) {
            RgbFrame frame = TestMedia.treeFrame(f);
            // when each packet is decoded
            TokenPacket packet = encoder.encode(f, frame).packet();
            pruned += packet.prunedCount();
            RgbFrame decoded = decoder.decode(TestMedia.layoutOf(encoder, frame), packet);
            // then the encoder's reference is exactly the decoder's picture
            assertArrayEquals(encoder.reference().orElseThrow().rgb(), decoded.rgb(), "frame " + f);
        }
        assertTrue(pruned > 0, "the budget pruned nothing");
    }

    @Test
    void restoringSnapshotsMidStreamContinuesIdentically() {
        // given an encoder with a banked rate budget and a decoder, after 10 frames of the moving camera
        CompressionConfig config = CompressionConfig.defaults().withBudget(new Budget.Rate(40.0 * stages * 15, 15, 2));
        VideoEncoder encoder = VideoEncoder.create(p16, real, config);
        VideoDecoder decoder = VideoDecoder.create(p16, real);
        for (int f = 1; f <= 10; f++) {
            RgbFrame frame = TestMedia.treeFrame(f);
            decoder.decode(TestMedia.layoutOf(encoder, frame), encoder.encode(f, frame).packet());
        }

        // when fresh instances restore their snapshots and both pairs go on for 10 more frames
        VideoEncoder restoredEncoder = VideoEncoder.create(p16, real, config);
        restoredEncoder.restore(encoder.snapshot());
        VideoDecoder restoredDecoder = VideoDecoder.create(p16, real);
        restoredDecoder.restore(decoder.snapshot());
        assertArrayEquals(encoder.reference().orElseThrow().rgb(), restoredEncoder.reference().orElseThrow().rgb());
        for (int f = 11; f <= 20; f++) {
            RgbFrame frame = TestMedia.treeFrame(f);
            FrameGeometry g = TestMedia.layoutOf(encoder, frame);
            TokenPacket a = encoder.encode(f, frame).packet();
            TokenPacket b = restoredEncoder.encode(f, frame).packet();

            // then every packet and every decoded picture is identical
            assertSamePacket(a, b);
            assertArrayEquals(decoder.decode(g, a).rgb(), restoredDecoder.decode(g, b).rgb(), "frame " + f);
        }
        // and so is the state at the end
        assertArrayEquals(encoder.snapshot(), restoredEncoder.snapshot());
        assertArrayEquals(decoder.snapshot(), restoredDecoder.snapshot());
    }

    @Test
    void snapshotsStoreTokensNotPixels() {
        // given an encoder and decoder after three 640x480 coffee-sprite frames (921,600 bytes of RGB each)
        VideoEncoder encoder = VideoEncoder.create(p16, real);
        VideoDecoder decoder = VideoDecoder.create(p16, real);
        for (int f = 1; f <= 3; f++) {
            RgbFrame frame = TestMedia.coffeeFrame(f);
            decoder.decode(TestMedia.layoutOf(encoder, frame), encoder.encode(f, frame).packet());
        }
        int rgbBytes = 640 * 480 * 3;

        // then the encoder's snapshot is under 1/20 of a frame and the decoder's under 1/50
        int encoderBytes = encoder.snapshot().length;
        int decoderBytes = decoder.snapshot().length;
        assertTrue(encoderBytes < rgbBytes / 20, "encoder snapshot " + encoderBytes + " bytes");
        assertTrue(decoderBytes < rgbBytes / 50, "decoder snapshot " + decoderBytes + " bytes");
        // and the picture a restored decoder rebuilds from it is the one it held
        VideoDecoder restored = VideoDecoder.create(p16, real);
        restored.restore(decoder.snapshot());
        RgbFrame next = TestMedia.coffeeFrame(4);
        TokenPacket packet = encoder.encode(4, next).packet();
        assertArrayEquals(decoder.decode(TestMedia.layoutOf(encoder, next), packet).rgb(),
                restored.decode(TestMedia.layoutOf(encoder, next), packet).rgb());
    }

    @Test
    void damagedSnapshotsAndBadSettingsAreRefusedWithAReason() {
        // given an encoder snapshot after one frame
        VideoEncoder encoder = VideoEncoder.create(p16, real);
        RgbFrame frame = TestMedia.treeFrame(1);
        encoder.encode(0, frame);
        byte[] snapshot = encoder.snapshot();

        // then a truncated copy and one whose first token is not a token are refused, leaving the encoder as it was
        VideoEncoder other = VideoEncoder.create(p16, real);
        assertThrows(SnapshotFormatException.class, () -> other.restore(Arrays.copyOf(snapshot, snapshot.length - 1)));
        byte[] badToken = snapshot.clone();
        badToken[82] = 0x7F; // the header is 82 bytes; the first stage-0 token now has bit 30 set
        assertThrows(SnapshotFormatException.class, () -> other.restore(badToken));
        assertTrue(other.reference().isEmpty());
        // and a decoder snapshot of version 1 (raw RGB) is refused with the version named
        byte[] versionOne = VideoDecoder.create(p16, real).snapshot();
        versionOne[4] = 1;
        SnapshotFormatException e = assertThrows(SnapshotFormatException.class,
                () -> VideoDecoder.create(p16, real).restore(versionOne));
        assertTrue(e.getMessage().contains("version 1"), e.getMessage());

        // and settings out of range are refused when built
        assertThrows(IllegalArgumentException.class, () -> new Cacher.Threshold(-1));
        assertThrows(IllegalArgumentException.class, () -> new Cacher.UpdateRatio(0));
        assertThrows(IllegalArgumentException.class, () -> new Budget.Ratio(1.5));
        assertThrows(IllegalArgumentException.class, () -> new Budget.Rate(100, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> CompressionConfig.defaults().withAlpha(2));
        assertThrows(IllegalArgumentException.class, () -> CompressionConfig.defaults().withKeyframeInterval(-1));
    }

    private static void assertSamePacket(TokenPacket a, TokenPacket b) {
        assertEquals(a.seq(), b.seq());
        assertEquals(a.keyframe(), b.keyframe(), "keyframe at " + a.seq());
        assertArrayEquals(a.positions(), b.positions(), "positions at " + a.seq());
        assertArrayEquals(a.tokens(), b.tokens(), "tokens at " + a.seq());
        assertArrayEquals(a.reusedPositions(), b.reusedPositions(), "reused at " + a.seq());
        assertEquals(a.prunedCount(), b.prunedCount());
        assertEquals(a.positionsChanged(), b.positionsChanged());
    }

    /** Every pixel of the listed patches is the same in a and b. */
    private static void assertPatchesEqual(PatchGrid g, RgbFrame a, RgbFrame b, int[] patches) {
        for (int p : patches) {
            int y0 = (p / g.columns()) * 16;
            int x0 = (p % g.columns()) * 16;
            for (int y = y0; y < Math.min(y0 + 16, g.height()); y++) {
                int o = (y * g.width() + x0) * 3;
                int len = Math.min(16, g.width() - x0) * 3;
                assertArrayEquals(Arrays.copyOfRange(a.rgb(), o, o + len), Arrays.copyOfRange(b.rgb(), o, o + len),
                        "patch " + p + " row " + y);
            }
        }
    }

    private static RgbFrame roundTrip(RgbFrame frame) {
        VideoEncoder encoder = VideoEncoder.create(p16, real, CompressionConfig.none());
        return VideoDecoder.create(p16, real).decode(TestMedia.layoutOf(encoder, frame), encoder.encode(0, frame).packet());
    }

    /** The top-left 320x240 of coffee-sprite frame 1: another real scene at the tree clip's size. */
    private static RgbFrame cropCoffee() {
        RgbFrame f = TestMedia.coffeeFrame(1);
        byte[] rgb = new byte[320 * 240 * 3];
        for (int y = 0; y < 240; y++) {
            System.arraycopy(f.rgb(), y * f.width() * 3, rgb, y * 320 * 3, 320 * 3);
        }
        return new RgbFrame(320, 240, rgb);
    }

    /** {@code base} with the w×h block at (x0, y0) taken from {@code source} (same size). */
    private static RgbFrame paste(RgbFrame base, RgbFrame source, int x0, int y0, int w, int h) {
        byte[] rgb = base.rgb().clone();
        for (int y = y0; y < y0 + h; y++) {
            int o = (y * base.width() + x0) * 3;
            System.arraycopy(source.rgb(), o, rgb, o, w * 3);
        }
        return new RgbFrame(base.width(), base.height(), rgb);
    }
}
