package dev.weir.codec.audio;

import dev.weir.codec.audio.internals.Mdct;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The MDCT against its definition, and TDAC: unquantized analysis + overlap-add rebuilds the signal. */
class MdctTest {

    @Test
    void fastTransformEqualsTheDefinition() {
        // given a random windowed frame of 2N samples, N = 320
        int n = 320;
        Mdct mdct = new Mdct(n);
        float[] x = random(2 * n, 1);

        // when it is transformed through the FFT
        double[] fast = new double[n];
        mdct.forward(x, 0, fast);

        // then each coefficient equals √(2/N)·Σ w[i]·x[i]·cos(π/N·(i + ½ + N/2)·(k + ½))
        for (int k = 0; k < n; k += 7) {
            double direct = 0;
            for (int i = 0; i < 2 * n; i++) {
                direct += mdct.window(i) * x[i] * Math.cos(Math.PI / n * (i + 0.5 + n / 2.0) * (k + 0.5));
            }
            direct *= Math.sqrt(2.0 / n);
            assertEquals(direct, fast[k], 1e-9 * Math.max(1, Math.abs(direct)), "coefficient " + k);
        }
    }

    @Test
    void overlapAddOfInverseTransformsReconstructsExactly() {
        for (int n : new int[]{320, 480}) {
            // given a random signal, preceded by N zeros (frame 0 covers [−N, N)) and followed by N zeros
            Mdct mdct = new Mdct(n);
            int frames = 20;
            float[] padded = new float[(frames + 1) * n];
            float[] signal = random((frames - 1) * n, 2);
            System.arraycopy(signal, 0, padded, n, signal.length);

            // when every hop-N frame is transformed, inverse-transformed and overlap-added
            double[] out = new double[(frames + 1) * n];
            double[] c = new double[n];
            for (int f = 0; f < frames; f++) {
                mdct.forward(padded, f * n, c);
                mdct.inverseAdd(c, out, f * n);
            }

            // then the aliasing cancels: the signal comes back to float precision, sample for sample
            double worst = 0;
            for (int i = 0; i < signal.length; i++) {
                worst = Math.max(worst, Math.abs(out[n + i] - signal[i]));
            }
            assertTrue(worst < 1e-9 * 32768, "N=" + n + ": worst error " + worst);
        }
    }

    private static float[] random(int length, long seed) {
        Random r = new Random(seed);
        float[] x = new float[length];
        for (int i = 0; i < length; i++) {
            x[i] = (float) (r.nextGaussian() * 8000);
        }
        return x;
    }
}
