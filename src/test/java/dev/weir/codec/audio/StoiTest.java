package dev.weir.codec.audio;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** STOI (Taal 2011) against known cases and the reference implementation pystoi. */
class StoiTest {

    @Test
    void identicalSignalsScoreOne() {
        // given the bundled speech
        float[] x = TestAudio.speech().mono();

        // then STOI of it against itself is 1
        assertEquals(1.0, Stoi.compute(x, x.clone(), 16000), 1e-6);
    }

    @Test
    void matchesPystoiOnDeterministicDegradations() {
        // given the bundled speech, an echo of it and a coarsely quantized copy
        float[] x = TestAudio.speech().mono();
        float[] echo = x.clone();
        for (int i = 40; i < x.length; i++) {
            echo[i] += 0.5f * x[i - 40];
        }
        float[] quantized = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            quantized[i] = (float) (Math.rint(x[i] / 2048.0) * 2048);
        }
        float[] x8 = new float[x.length / 2];
        float[] q8 = new float[x.length / 2];
        for (int i = 0; i < x8.length; i++) {
            x8[i] = x[2 * i];
            q8[i] = (float) (Math.rint(x8[i] / 2048.0) * 2048);
        }

        // then STOI agrees with pystoi 0.3.3 (numpy round-half-even, as Math.rint) on the same inputs:
        //   stoi(x, echo, 16000) = 0.9842794845769235, stoi(x, quantized, 16000) = 0.9016293236960369,
        //   stoi(x[::2], quantized, 8000) = 0.8951129917236222
        assertEquals(0.9842794845769235, Stoi.compute(x, echo, 16000), 1e-6);
        assertEquals(0.9016293236960369, Stoi.compute(x, quantized, 16000), 1e-6);
        assertEquals(0.8951129917236222, Stoi.compute(x8, q8, 8000), 1e-6);
    }

    @Test
    void fallsMonotonicallyWithAddedWhiteNoise() {
        // given the bundled speech and white noise (seeded) scaled to 20, 10, 0 and −5 dB SNR
        float[] x = TestAudio.speech().mono();
        double power = 0;
        for (float v : x) {
            power += (double) v * v;
        }
        power /= x.length;
        double previous = 1.0;
        for (double snr : new double[]{20, 10, 0, -5}) {
            Random r = new Random(42);
            double sigma = Math.sqrt(power / Math.pow(10, snr / 10));
            float[] y = new float[x.length];
            for (int i = 0; i < x.length; i++) {
                y[i] = (float) (x[i] + sigma * r.nextGaussian());
            }

            // when STOI is measured at each level
            double stoi = Stoi.compute(x, y, 16000);

            // then it falls with every step down in SNR
            assertTrue(stoi < previous, snr + " dB: " + stoi + " not below " + previous);
            previous = stoi;
        }
        assertTrue(previous < 0.75, "−5 dB SNR still scores " + previous);
    }
}
