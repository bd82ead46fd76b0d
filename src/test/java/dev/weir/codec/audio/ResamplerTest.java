package dev.weir.codec.audio;

import dev.weir.codec.audio.internals.Resampler;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The streaming windowed-sinc resampler. */
class ResamplerTest {

    @Test
    void chunkingDoesNotChangeTheOutput() {
        // given one second of a chirp at 44.1 kHz
        float[] x = chirp(44100, 44100);

        // when it is resampled to 16 kHz whole and in uneven pieces (the state carrying across)
        float[] whole = all(new Resampler(44100, 16000), x, new int[]{x.length});
        float[] pieces = all(new Resampler(44100, 16000), x, TestAudio.oddCuts(x.length, 37, 9));

        // then both give the same ⌈n·160/441⌉ samples
        assertArrayEquals(whole, pieces);
        assertEquals((int) Math.ceil(x.length * 16000.0 / 44100), whole.length);
    }

    @Test
    void passBandIsKeptAndAliasesAreRemoved() {
        // given 48 kHz tones at 1 kHz (in the 16 kHz pass band) and 11 kHz (above the new 8 kHz Nyquist)
        float[] low = tone(48000, 1000, 48000);
        float[] high = tone(48000, 11000, 48000);

        // when each is resampled to 16 kHz
        float[] lowOut = all(new Resampler(48000, 16000), low, new int[]{low.length});
        float[] highOut = all(new Resampler(48000, 16000), high, new int[]{high.length});

        // then the 1 kHz tone keeps its level (±0.1 dB) and the 11 kHz tone (which would alias to 5 kHz) is
        // attenuated by more than 60 dB, away from the edges
        double lowDb = 20 * Math.log10(rms(lowOut, 1000) / rms(low, 3000));
        double highDb = 20 * Math.log10(rms(highOut, 1000) / rms(high, 3000));
        assertEquals(0, lowDb, 0.1);
        assertTrue(highDb < -60, "alias at " + highDb + " dB");
    }

    @Test
    void equalRatesPassThrough() {
        // given 16 kHz input and a 16 kHz target
        float[] x = chirp(16000, 1000);
        Resampler r = new Resampler(16000, 16000);

        // then samples pass untouched with no look-ahead
        assertArrayEquals(x, r.process(x));
        assertEquals(0, r.lookAhead());
        assertEquals(0, r.flush().length);
    }

    private static float[] all(Resampler r, float[] x, int[] cuts) {
        float[] out = new float[0];
        int at = 0;
        for (int cut : cuts) {
            out = concat(out, r.process(Arrays.copyOfRange(x, at, at + cut)));
            at += cut;
        }
        return concat(out, r.flush());
    }

    private static float[] concat(float[] a, float[] b) {
        float[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    private static float[] chirp(int rate, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            double t = (double) i / rate;
            x[i] = (float) (10000 * Math.sin(2 * Math.PI * (100 * t + 4000 * t * t)));
        }
        return x;
    }

    private static float[] tone(int rate, double hz, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (10000 * Math.sin(2 * Math.PI * hz * i / rate));
        }
        return x;
    }

    private static double rms(float[] x, int margin) {
        double s = 0;
        for (int i = margin; i < x.length - margin; i++) {
            s += (double) x[i] * x[i];
        }
        return Math.sqrt(s / (x.length - 2 * margin));
    }
}
