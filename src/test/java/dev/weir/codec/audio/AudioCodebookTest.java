package dev.weir.codec.audio;

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

/** The codebook artifact and its trainer. */
class AudioCodebookTest {

    // Small enough for a unit test: envelope 16 + 8, two shape stages of 8, 2 iterations, on the bundled speech.
    private static final AudioCodebookTrainer.Options SMALL =
            new AudioCodebookTrainer.Options(16000, new int[]{16, 8}, new int[]{8, 8}, 2, 1000, 42L);

    @Test
    void sameClipsAndSeedGiveIdenticalBytes() {
        // given the bundled speech
        List<PcmChunk> clips = List.of(TestAudio.speech());

        // when the same small training runs twice, and once with another seed
        AudioCodebook a;
        AudioCodebook b;
        AudioCodebook other;
        try (VideoKernels kernels = Kernels.video("jvm")) {
            a = new AudioCodebookTrainer(SMALL, kernels).train("t", clips);
            b = new AudioCodebookTrainer(SMALL, kernels).train("t", clips);
            other = new AudioCodebookTrainer(new AudioCodebookTrainer.Options(16000, new int[]{16, 8}, new int[]{8, 8},
                    2, 1000, 43L), kernels).train("t", clips);
        }

        // then the two runs agree byte for byte, and the other seed does not
        assertArrayEquals(a.toBytes(), b.toBytes());
        assertEquals(a.hash(), b.hash());
        assertNotEquals(a.hash(), other.hash());
        // and the codebook has the requested shape: 1 gain + 2 envelope + 2 × 4 shape slots
        assertEquals(11, a.slotsPerFrame());
        assertEquals(16, a.slotSize(1));
        assertEquals(8, a.slotSize(2));
        assertEquals(8, a.slotSize(10));
    }

    @Test
    void trainedShapesBeatNoiseFill() {
        // given a small trained codebook and the same codebook without shape stages (envelope + noise only)
        AudioCodebook trained;
        try (VideoKernels kernels = Kernels.video("jvm")) {
            trained = new AudioCodebookTrainer(SMALL, kernels).train("t", List.of(TestAudio.speech()));
        }
        AudioCodebook noiseOnly = trained.firstShapeStages(0);

        // when the speech goes through each
        float[] x = TestAudio.speech().mono();
        double withShape = segSnr(trained, x);
        double without = segSnr(noiseOnly, x);

        // then the shapes buy waveform fidelity that noise cannot
        assertTrue(withShape > without + 2, withShape + " dB with shapes vs " + without + " dB noise-filled");
    }

    private static double segSnr(AudioCodebook cb, float[] x) {
        try (VideoKernels kernels = Kernels.video("jvm")) {
            PcmChunk clip = TestAudio.pcm16(16000, x);
            TestAudio.Stream s = TestAudio.run(AudioEncoder.create(cb, kernels, AudioCompressionConfig.none()),
                    AudioDecoder.create(cb), clip, new int[]{clip.frames()});
            return AudioMetrics.segSnrDb(x, s.decodedFloats(), 16000);
        }
    }

    @Test
    void codebookFileRoundTripsAndRejectsDamage(@TempDir Path dir) throws Exception {
        // given a codebook written to a file
        AudioCodebook original = AudioCodebook.defaultCodebook();
        Path file = dir.resolve("cb.wacb");
        original.write(file);

        // when it is read back, then it is the same artifact
        AudioCodebook read = AudioCodebook.read(file);
        assertEquals(original.hash(), read.hash());
        assertArrayEquals(original.bandEdges(), read.bandEdges());

        // and damaged copies are refused with a typed exception
        byte[] bytes = original.toBytes();
        byte[] badMagic = bytes.clone();
        badMagic[0] = 'X';
        byte[] badVersion = bytes.clone();
        badVersion[5] = 9;
        byte[] badRate = bytes.clone();
        badRate[9] = 1;
        for (byte[] bad : List.of(badMagic, badVersion, badRate, Arrays.copyOf(bytes, bytes.length - 1),
                Arrays.copyOf(bytes, bytes.length + 1), new byte[3])) {
            assertThrows(MediaFormatException.class, () -> AudioCodebook.parse(bad));
        }
        // and parts that do not fit are refused when built
        assertThrows(IllegalArgumentException.class, () -> AudioCodebook.of("x", 16000, 320, 64, 0, 150,
                new int[]{0, 10, 320}, new int[]{0, 5}, List.of(new ShapeCodebook(2, 2, 0, new byte[4])), List.of()));
    }

    @Test
    void builtInCodebookIsWhatTheDocsDescribe() {
        // then the built-in codebook is the 16 kHz one of docs/audio.md: gain 64 levels, envelope 1024 + 256 over
        // 22 bands, three shape stages of 128 in four regions up to 4 kHz; 15 tokens and 108 bits per 20 ms frame
        AudioCodebook cb = AudioCodebook.defaultCodebook();
        assertEquals("ffd838c53d6a965e57ec3ad34c8ca5077d4c08800c845e37aae52f6b9f66bdd1", cb.hash());
        assertEquals(16000, cb.sampleRate());
        assertEquals(320, cb.hop());
        assertEquals(22, cb.bands());
        assertArrayEquals(new int[]{0, 24, 50, 92, 160}, cb.regionEdges());
        assertEquals(15, cb.slotsPerFrame());
        assertEquals(108, cb.frameBits(), 1e-9);
        assertEquals(new dev.weir.codec.TokenizerRef("audio-mdct-rvq", "1", cb.hash()), cb.tokenizerRef());
    }
}
