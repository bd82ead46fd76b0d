package dev.weir.codec.audio;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.kernels.Kernels;
import dev.weir.kernels.VideoKernels;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The offline evaluation and its Opus anchor. */
class AudioEvaluationTest {

    @Test
    void reportsRateFidelityAndAnOpusAnchorOnRealSpeech() throws Exception {
        // given the bundled speech and the built-in codebook
        AudioEvalReport r;
        try (VideoKernels kernels = Kernels.video("jvm")) {
            // when it is evaluated with the default compression in 200 ms chunks
            r = AudioEvaluation.run(TestAudio.speech(), AudioCodebook.defaultCodebook(), kernels,
                    AudioCompressionConfig.defaults(), 200, 0.0);
        }

        // then the counts are the tokenizer's: 15 tokens, 108 bits per 20 ms frame uncompressed
        assertEquals(2.99, r.seconds(), 1e-9);
        assertEquals(16000, r.sampleRate());
        assertEquals(15 * 50, r.tokensFullPerSecond(), 15 * 50 * 0.02); // the flush pads the last frames
        assertEquals(r.tokensPerSecond() / r.tokensFullPerSecond(), r.tokenRatio(), 1e-12);
        assertEquals(5.4, r.kbpsFull(), 0.1);
        assertTrue(r.kbps() < r.kbpsFull());
        // and the fidelity is where it was measured (docs/audio.md): STOI 0.904, segSNR 4.80 dB on this clip
        assertTrue(r.stoi() > 0.88 && r.stoi() <= r.stoiFull() + 0.005, "STOI " + r.stoi());
        assertTrue(r.segSnrDb() > 4 && r.segSnrFullDb() > 4, "segSNR " + r.segSnrDb());
        assertTrue(r.lsdDb() > 0 && r.lsdDb() < 15);
        // and Opus ran in the same run, at 6 kbps (its floor, the nearest to ours)
        assertEquals(6000, r.opus6k().bitrateSet());
        assertTrue(r.opus6k().kbps() > 4 && r.opus6k().kbps() < 9, "Opus kbps " + r.opus6k().kbps());
        assertTrue(r.opus6k().stoi() > 0.8, "Opus STOI " + r.opus6k().stoi());
        assertTrue(r.realtimeFactor() > 0);
        assertTrue(r.encoderSnapshotBytes() > 100 && r.decoderSnapshotBytes() > 100);
        // and the JSON has the fields the issue names
        JsonNode json = new ObjectMapper().readTree(r.toJson());
        for (String field : new String[]{"seconds", "sampleRate", "tokensFullPerSecond", "tokensPerSecond", "tokenRatio",
                "kbps", "snrDb", "segSnrDb", "segSnrFullDb", "lsdDb", "stoi", "stoiFull", "silenceRatio",
                "realtimeFactor", "backend", "opus6k", "opusNearest"}) {
            assertTrue(json.has(field), "JSON lacks " + field);
        }
        assertTrue(json.get("opusNearest").has("stoi"));
    }

    @Test
    void resampledInputIsComparedAtTheTokenizerRate() throws Exception {
        // given the 48 kHz "Front left" clip of the shared data set (skipped where it is absent)
        Path file = TestAudio.shared("audio/alsa-Front_Left-48k.wav").orElse(null);
        Assumptions.assumeTrue(file != null, "../shared/data/audio is not here");

        // when it is evaluated
        AudioEvalReport r;
        try (VideoKernels kernels = Kernels.video("jvm")) {
            r = AudioEvaluation.run(WavReader.read(file), AudioCodebook.defaultCodebook(), kernels,
                    AudioCompressionConfig.defaults(), 100, 0.0);
        }

        // then the input rate is kept apart from the 16 kHz of the comparison, and the speech is still intelligible
        assertEquals(48000, r.inputSampleRate());
        assertEquals(16000, r.sampleRate());
        assertTrue(r.stoi() > 0.75, "STOI " + r.stoi());
    }
}
