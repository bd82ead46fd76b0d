package dev.weir.codec.video;

import dev.weir.codec.MediaFormatException;
import dev.weir.kernels.Kernels;
import dev.weir.kernels.ShapeCodebook;
import dev.weir.kernels.VideoKernels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CodebookTrainerTest {

    // Small enough for a unit test: P=8, K=16 plus a residual stage of 8, on two real frames.
    private static final CodebookTrainer.Options SMALL = new CodebookTrainer.Options(8, 16, 2, 8, 6, 4, 2000, 42L);

    @Test
    void sameInputsAndSeedGiveIdenticalBytes() {
        // given two real frames
        List<RgbFrame> frames = List.of(TestMedia.treeFrame(1), TestMedia.coffeeFrame(1));

        // when the same training runs twice, and once more with another seed
        VideoCodebook a;
        VideoCodebook b;
        VideoCodebook otherSeed;
        try (VideoKernels kernels = Kernels.video("jvm-scalar")) {
            a = new CodebookTrainer(SMALL, kernels).train("test", frames);
            b = new CodebookTrainer(SMALL, kernels).train("test", frames);
            otherSeed = new CodebookTrainer(new CodebookTrainer.Options(8, 16, 2, 8, 6, 4, 2000, 43L), kernels)
                    .train("test", frames);
        }

        // then the two runs agree byte for byte and hash for hash, and the other seed does not
        assertArrayEquals(a.toBytes(), b.toBytes());
        assertEquals(a.hash(), b.hash());
        assertNotEquals(a.hash(), otherSeed.hash());
        // and the codebook has the requested shape
        assertEquals(2, a.stages().size());
        assertEquals(16, a.stages().get(0).size());
        assertEquals(8, a.stages().get(1).size());
        assertEquals(8 * 8 * 3, a.stages().get(0).dim());
        assertEquals(6, a.dcBits());
    }

    @Test
    void trainedShapesBeatDcAlone() {
        // given a codebook trained on tree frame 1 and a "codebook" whose only shape is flat (DC only)
        VideoCodebook trained;
        try (VideoKernels kernels = Kernels.video("jvm-scalar")) {
            trained = new CodebookTrainer(new CodebookTrainer.Options(8, 16, 1, 2, 6, 4, 2000, 42L), kernels)
                    .train("test", List.of(TestMedia.treeFrame(1)));
        }
        VideoCodebook flat = VideoCodebook.of("flat", 8, 6, List.of(new ShapeCodebook(1, 192, 0, new byte[192])));

        // when another frame of the clip goes through each
        RgbFrame frame = TestMedia.treeFrame(10);
        double trainedPsnr = TestMedia.psnr(frame.rgb(), roundTrip(trained, frame).rgb());
        double flatPsnr = TestMedia.psnr(frame.rgb(), roundTrip(flat, frame).rgb());

        // then 16 learned shapes reconstruct it better than flat patches
        assertTrue(trainedPsnr > flatPsnr + 0.5, trainedPsnr + " dB trained vs " + flatPsnr + " dB flat");
    }

    @Test
    void codebookFileRoundTripsAndRejectsDamage(@TempDir Path dir) throws Exception {
        // given a small codebook written to a file
        byte[] entries = new byte[2 * 192];
        Arrays.fill(entries, 0, 192, (byte) 5);
        Arrays.fill(entries, 192, 384, (byte) -7);
        VideoCodebook original = VideoCodebook.of("file-test", 8, 6, List.of(new ShapeCodebook(2, 192, 1, entries)));
        Path file = dir.resolve("cb.wvcb");
        original.write(file);

        // when it is read back, then it is the same artifact
        VideoCodebook read = VideoCodebook.read(file);
        assertEquals(original.hash(), read.hash());
        assertEquals("file-test", read.id());
        assertEquals(1, read.stages().get(0).scaleShift());
        assertArrayEquals(entries, read.stages().get(0).entries());

        // and damaged copies are refused with a typed exception
        byte[] bytes = original.toBytes();
        byte[] badMagic = bytes.clone();
        badMagic[0] = 'X';
        byte[] badVersion = bytes.clone();
        badVersion[5] = 9;
        assertThrows(MediaFormatException.class, () -> VideoCodebook.parse(badMagic));
        assertThrows(MediaFormatException.class, () -> VideoCodebook.parse(badVersion));
        assertThrows(MediaFormatException.class, () -> VideoCodebook.parse(Arrays.copyOf(bytes, bytes.length - 1)));
        assertThrows(MediaFormatException.class, () -> VideoCodebook.parse(Arrays.copyOf(bytes, bytes.length + 1)));
        assertThrows(MediaFormatException.class, () -> VideoCodebook.parse(new byte[3]));
    }

    @Test
    void builtInCodebooksAreWhatTheDocsDescribe() {
        // then the default P=16 codebook has K0 = 1024 with 6 DC bits (28-bit stage-0 tokens)
        VideoCodebook p16 = VideoCodebook.defaultFor(16);
        assertEquals(16, p16.patchSize());
        assertEquals(1024, p16.stages().get(0).size());
        assertEquals(28, p16.layout().tokenBits(0));
        assertEquals(p16.hash(), VideoCodebook.parse(p16.toBytes()).hash());
        // and there is none for P=32
        assertThrows(IllegalArgumentException.class, () -> VideoCodebook.defaultFor(32));
    }

    private static RgbFrame roundTrip(VideoCodebook codebook, RgbFrame frame) {
        try (VideoKernels kernels = Kernels.video("jvm-scalar")) {
            VideoEncoder encoder = VideoEncoder.create(codebook, kernels);
            return VideoDecoder.create(codebook, kernels).decode(TestMedia.layoutOf(encoder, frame), encoder.encode(0, frame).packet());
        }
    }
}
