package dev.weir.codec.audio;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SNR, segmental SNR and log-spectral distance on cases whose answer is known. */
class AudioMetricsTest {

    private static final float[] SPEECH = TestAudio.speech().mono();

    @Test
    void scaledCopyHasTwentyDbSnrInEveryFrame() {
        // given y = 0.9·x: the error 0.1·x is 20 dB below the signal in every frame
        float[] y = scaled(SPEECH, 0.9f);

        // then SNR and segmental SNR are 20 dB
        assertEquals(20, AudioMetrics.snrDb(SPEECH, y), 1e-3);
        assertEquals(20, AudioMetrics.segSnrDb(SPEECH, y, 16000), 1e-3);
    }

    @Test
    void segmentalSnrClampsEachFrame() {
        // given an exact copy (clamped to 35 dB), silence (0 dB) and −3·x (error 16·x², −12 dB, clamped to −10)
        assertEquals(35, AudioMetrics.segSnrDb(SPEECH, SPEECH.clone(), 16000), 1e-9);
        assertEquals(0, AudioMetrics.segSnrDb(SPEECH, new float[SPEECH.length], 16000), 1e-9);
        assertEquals(-10, AudioMetrics.segSnrDb(SPEECH, scaled(SPEECH, -3f), 16000), 1e-9);
    }

    @Test
    void logSpectralDistanceOfADoubledSignalIsSixDb() {
        // given an exact copy and a copy at twice the amplitude (four times the power in every bin)
        // then LSD is 0 and about 10·log10(4) = 6.02 dB (a little less where a bin's power is near the +1 floor)
        assertEquals(0, AudioMetrics.lsdDb(SPEECH, SPEECH.clone()), 1e-12);
        double lsd = AudioMetrics.lsdDb(SPEECH, scaled(SPEECH, 2f));
        assertTrue(lsd > 5.9 && lsd <= 6.03, "LSD " + lsd);
    }

    private static float[] scaled(float[] x, float a) {
        float[] y = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = a * x[i];
        }
        return y;
    }
}
