package dev.weir.codec.audio;

import org.jtransforms.fft.DoubleFFT_1D;

/**
 * Waveform and spectral distances between a reference and a decoded signal of equal length and rate (PCM16
 * units, time-aligned).
 *
 * <ul>
 *   <li>{@link #snrDb}: 10·log10(Σx² / Σ(x−y)²) over the whole signal.</li>
 *   <li>{@link #segSnrDb}: segmental SNR over non-overlapping 20 ms frames; a frame counts when its reference
 *       energy is within {@value #ACTIVE_RANGE_DB} dB of the loudest frame's (the rest is silence); each frame's
 *       SNR is clamped to [{@value #SEG_MIN_DB}, {@value #SEG_MAX_DB}] dB, then averaged (Quackenbush, Barnwell
 *       &amp; Clements, "Objective Measures of Speech Quality", 1988).</li>
 *   <li>{@link #lsdDb}: log-spectral distance, √(mean_k (10·log10((P_x+1)/(P_y+1)))²) per frame, P the power
 *       spectrum of a 512-point FFT of a Hann-windowed frame (hop 256), averaged over the frames whose
 *       reference energy is within {@value #ACTIVE_RANGE_DB} dB of the loudest.</li>
 * </ul>
 */
public final class AudioMetrics {

    public static final double ACTIVE_RANGE_DB = 40;
    public static final double SEG_MIN_DB = -10;
    public static final double SEG_MAX_DB = 35;
    static final int LSD_FFT = 512;

    private AudioMetrics() {
    }

    public static double snrDb(float[] x, float[] y) {
        check(x, y);
        double s = 0;
        double e = 0;
        for (int i = 0; i < x.length; i++) {
            double d = x[i] - y[i];
            s += (double) x[i] * x[i];
            e += d * d;
        }
        return e == 0 ? SEG_MAX_DB * 10 : 10 * Math.log10(s / e);
    }

    /** Segmental SNR with 20 ms frames at {@code sampleRate}. */
    public static double segSnrDb(float[] x, float[] y, int sampleRate) {
        check(x, y);
        int frame = sampleRate / 50;
        int frames = x.length / frame;
        double[] energy = new double[frames];
        double[] error = new double[frames];
        double max = 0;
        for (int f = 0; f < frames; f++) {
            for (int i = f * frame; i < (f + 1) * frame; i++) {
                double d = x[i] - y[i];
                energy[f] += (double) x[i] * x[i];
                error[f] += d * d;
            }
            max = Math.max(max, energy[f]);
        }
        double sum = 0;
        int active = 0;
        double threshold = max * Math.pow(10, -ACTIVE_RANGE_DB / 10);
        for (int f = 0; f < frames; f++) {
            if (energy[f] > 0 && energy[f] >= threshold) {
                double snr = error[f] == 0 ? SEG_MAX_DB : 10 * Math.log10(energy[f] / error[f]);
                sum += Math.clamp(snr, SEG_MIN_DB, SEG_MAX_DB);
                active++;
            }
        }
        return active == 0 ? 0 : sum / active;
    }

    /** Log-spectral distance (dB) over the active frames. */
    public static double lsdDb(float[] x, float[] y) {
        check(x, y);
        int hop = LSD_FFT / 2;
        int frames = x.length < LSD_FFT ? 0 : (x.length - LSD_FFT) / hop + 1;
        double[] w = new double[LSD_FFT];
        for (int n = 0; n < LSD_FFT; n++) {
            w[n] = 0.5 - 0.5 * Math.cos(2 * Math.PI * n / LSD_FFT);
        }
        DoubleFFT_1D fft = new DoubleFFT_1D(LSD_FFT);
        double[] energy = new double[frames];
        double[] lsd = new double[frames];
        double max = 0;
        double[] a = new double[LSD_FFT];
        double[] b = new double[LSD_FFT];
        for (int f = 0; f < frames; f++) {
            for (int n = 0; n < LSD_FFT; n++) {
                a[n] = w[n] * x[f * hop + n];
                b[n] = w[n] * y[f * hop + n];
                energy[f] += a[n] * a[n];
            }
            max = Math.max(max, energy[f]);
            fft.realForward(a);
            fft.realForward(b);
            double s = 0;
            for (int k = 0; k <= LSD_FFT / 2; k++) {
                double d = 10 * Math.log10((power(a, k) + 1) / (power(b, k) + 1));
                s += d * d;
            }
            lsd[f] = Math.sqrt(s / (LSD_FFT / 2 + 1));
        }
        double threshold = max * Math.pow(10, -ACTIVE_RANGE_DB / 10);
        double sum = 0;
        int active = 0;
        for (int f = 0; f < frames; f++) {
            if (energy[f] > 0 && energy[f] >= threshold) {
                sum += lsd[f];
                active++;
            }
        }
        return active == 0 ? 0 : sum / active;
    }

    private static double power(double[] spectrum, int k) {
        if (k == 0) {
            return spectrum[0] * spectrum[0];
        }
        if (k == LSD_FFT / 2) {
            return spectrum[1] * spectrum[1];
        }
        return spectrum[2 * k] * spectrum[2 * k] + spectrum[2 * k + 1] * spectrum[2 * k + 1];
    }

    private static void check(float[] x, float[] y) {
        if (x.length != y.length) {
            throw new IllegalArgumentException("signals differ in length: " + x.length + " and " + y.length);
        }
    }
}
