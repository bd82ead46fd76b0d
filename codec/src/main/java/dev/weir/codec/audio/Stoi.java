package dev.weir.codec.audio;

import dev.weir.codec.audio.internals.Resampler;
import org.jtransforms.fft.DoubleFFT_1D;

import java.util.Arrays;

/**
 * Short-Time Objective Intelligibility (Taal, Hendriks, Heusdens &amp; Jensen, "An Algorithm for Intelligibility
 * Prediction of Time–Frequency Weighted Noisy Speech", IEEE TASLP 19(7), 2011), following the reference
 * implementation pystoi step for step:
 * <ol>
 *   <li>both signals resampled to 10 kHz (the Kaiser-windowed sinc filter of pystoi's {@code resample_oct},
 *       applied as {@code scipy.signal.resample_poly} does);</li>
 *   <li>frames of 256 samples (Hann), hop 128, whose clean energy is more than 40 dB below the loudest clean
 *       frame are removed from both signals (which are then overlap-added back);</li>
 *   <li>512-point FFT of 256-sample Hann frames, hop 128; 15 one-third-octave bands from 150 Hz;</li>
 *   <li>for every segment of N = 30 frames and band: the degraded band envelope is scaled to the clean one's
 *       norm and clipped at β = −15 dB signal-to-distortion ratio, and the correlation of the two
 *       mean-removed envelopes is taken; STOI is the mean over segments and bands.</li>
 * </ol>
 * Returns 1e-5 (as pystoi does) when fewer than 30 frames are left after silence removal.
 */
public final class Stoi {

    static final int FS = 10000;
    static final int FRAME = 256;
    static final int NFFT = 512;
    static final int BANDS = 15;
    static final double MIN_FREQ = 150;
    static final int N = 30;
    static final double BETA = -15;
    static final double DYN_RANGE = 40;
    static final double EPS = Math.ulp(1.0);

    private Stoi() {
    }

    /**
     * STOI of {@code degraded} against {@code clean}, both at {@code sampleRate} and of equal length.
     *
     * @throws IllegalArgumentException when the lengths differ
     */
    public static double compute(float[] clean, float[] degraded, int sampleRate) {
        if (clean.length != degraded.length) {
            throw new IllegalArgumentException("STOI needs signals of equal length: " + clean.length + " and " + degraded.length);
        }
        double[] x = toDouble(clean);
        double[] y = toDouble(degraded);
        if (sampleRate != FS) {
            x = resample(x, FS, sampleRate);
            y = resample(y, FS, sampleRate);
        }
        double[][] xy = removeSilentFrames(x, y);
        double[][] xTob = thirdOctaveEnvelopes(xy[0]);
        double[][] yTob = thirdOctaveEnvelopes(xy[1]);
        int frames = xTob.length == 0 ? 0 : xTob[0].length;
        if (frames < N) {
            return 1e-5;
        }
        double clip = Math.pow(10, -BETA / 20);
        double sum = 0;
        int segments = frames - N + 1;
        double[] xs = new double[N];
        double[] ys = new double[N];
        for (int m = N; m <= frames; m++) {
            for (int j = 0; j < BANDS; j++) {
                System.arraycopy(xTob[j], m - N, xs, 0, N);
                System.arraycopy(yTob[j], m - N, ys, 0, N);
                double alpha = norm(xs) / (norm(ys) + EPS);
                for (int i = 0; i < N; i++) {
                    ys[i] = Math.min(ys[i] * alpha, xs[i] * (1 + clip));
                }
                sum += correlation(xs, ys);
            }
        }
        return sum / ((double) segments * BANDS);
    }

    private static double correlation(double[] x, double[] y) {
        double mx = mean(x);
        double my = mean(y);
        double[] a = new double[x.length];
        double[] b = new double[y.length];
        for (int i = 0; i < x.length; i++) {
            a[i] = x[i] - mx;
            b[i] = y[i] - my;
        }
        double na = norm(a) + EPS;
        double nb = norm(b) + EPS;
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (a[i] / na) * (b[i] / nb);
        }
        return s;
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }

    private static double norm(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x * x;
        }
        return Math.sqrt(s);
    }

    private static double[] toDouble(float[] v) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i];
        }
        return out;
    }

    /** MATLAB's hanning(256): 0.5 − 0.5·cos(2π(n+1)/257). */
    static double[] hann() {
        double[] w = new double[FRAME];
        for (int n = 0; n < FRAME; n++) {
            w[n] = 0.5 - 0.5 * Math.cos(2 * Math.PI * (n + 1) / (FRAME + 1));
        }
        return w;
    }

    /** pystoi's remove_silent_frames: windowed frames, a 40 dB mask on the clean energies, overlap-add. */
    static double[][] removeSilentFrames(double[] x, double[] y) {
        double[] w = hann();
        int hop = FRAME / 2;
        int count = 0;
        for (int i = 0; i < x.length - FRAME; i += hop) {
            count++;
        }
        double[] energy = new double[count];
        double max = Double.NEGATIVE_INFINITY;
        for (int f = 0; f < count; f++) {
            double s = 0;
            for (int n = 0; n < FRAME; n++) {
                double v = w[n] * x[f * hop + n];
                s += v * v;
            }
            energy[f] = 20 * Math.log10(Math.sqrt(s) + EPS);
            max = Math.max(max, energy[f]);
        }
        int kept = 0;
        for (int f = 0; f < count; f++) {
            if (max - DYN_RANGE - energy[f] < 0) {
                kept++;
            }
        }
        int length = kept == 0 ? 0 : (kept - 1) * hop + FRAME;
        double[] xs = new double[length];
        double[] ys = new double[length];
        int k = 0;
        for (int f = 0; f < count; f++) {
            if (max - DYN_RANGE - energy[f] < 0) {
                for (int n = 0; n < FRAME; n++) {
                    xs[k * hop + n] += w[n] * x[f * hop + n];
                    ys[k * hop + n] += w[n] * y[f * hop + n];
                }
                k++;
            }
        }
        return new double[][]{xs, ys};
    }

    /** sqrt(OBM · |STFT|²): band × frame one-third-octave envelopes. */
    static double[][] thirdOctaveEnvelopes(double[] x) {
        double[] w = hann();
        int hop = FRAME / 2;
        int frames = 0;
        for (int i = 0; i < x.length - FRAME; i += hop) {
            frames++;
        }
        int[][] bands = thirdOctaveBins();
        double[][] out = new double[BANDS][frames];
        DoubleFFT_1D fft = new DoubleFFT_1D(NFFT);
        double[] buf = new double[NFFT];
        double[] power = new double[NFFT / 2 + 1];
        for (int f = 0; f < frames; f++) {
            Arrays.fill(buf, 0);
            for (int n = 0; n < FRAME; n++) {
                buf[n] = w[n] * x[f * hop + n];
            }
            fft.realForward(buf);
            power[0] = buf[0] * buf[0];
            power[NFFT / 2] = buf[1] * buf[1];
            for (int k = 1; k < NFFT / 2; k++) {
                power[k] = buf[2 * k] * buf[2 * k] + buf[2 * k + 1] * buf[2 * k + 1];
            }
            for (int j = 0; j < BANDS; j++) {
                double s = 0;
                for (int k = bands[j][0]; k < bands[j][1]; k++) {
                    s += power[k];
                }
                out[j][f] = Math.sqrt(s);
            }
        }
        return out;
    }

    /** pystoi's thirdoct: [low, high) FFT bins of each band, edges at the bins nearest 150·2^((2k∓1)/6) Hz. */
    static int[][] thirdOctaveBins() {
        int[][] bins = new int[BANDS][2];
        for (int k = 0; k < BANDS; k++) {
            double low = MIN_FREQ * Math.pow(2, (2.0 * k - 1) / 6);
            double high = MIN_FREQ * Math.pow(2, (2.0 * k + 1) / 6);
            bins[k][0] = nearestBin(low);
            bins[k][1] = nearestBin(high);
        }
        return bins;
    }

    private static int nearestBin(double hz) {
        int best = 0;
        double bestD = Double.MAX_VALUE;
        for (int k = 0; k <= NFFT / 2; k++) {
            double f = (double) k * FS / NFFT;
            double d = (f - hz) * (f - hz);
            if (d < bestD) {
                bestD = d;
                best = k;
            }
        }
        return best;
    }

    /** pystoi's resample_oct(x, p, q): its Kaiser-windowed sinc, applied as resample_poly does. */
    static double[] resample(double[] x, int p, int q) {
        int g = gcd(p, q);
        int up = p / g;
        int down = q / g;
        double stop = 1.0 / (2 * Math.max(up, down));
        double rollOff = stop / 10;
        double rejection = 60; // −20·log10(1e-3)
        int half = (int) Math.ceil((rejection - 8) / (28.714 * rollOff));
        double beta = 0.1102 * (rejection - 8.7);
        double[] h = new double[2 * half + 1];
        double sum = 0;
        for (int i = 0; i < h.length; i++) {
            double t = i - half;
            double arg = 2 * stop * t;
            double sinc = arg == 0 ? 1 : Math.sin(Math.PI * arg) / (Math.PI * arg);
            double r = 2.0 * i / (h.length - 1) - 1;
            double kaiser = Resampler.bessel0(beta * Math.sqrt(Math.max(0, 1 - r * r))) / Resampler.bessel0(beta);
            h[i] = kaiser * 2 * up * stop * sinc;
            sum += h[i];
        }
        for (int i = 0; i < h.length; i++) {
            h[i] = h[i] / sum * up;
        }
        int out = (int) ((x.length * (long) up + down - 1) / down);
        double[] y = new double[out];
        for (int m = 0; m < out; m++) {
            long centre = (long) m * down + half; // h index of x[j] is centre − j·up
            int jMin = (int) Math.max(0, (centre - (h.length - 1) + up - 1) / up);
            int jMax = (int) Math.min(x.length - 1, centre / up);
            double s = 0;
            for (int j = jMin; j <= jMax; j++) {
                s += x[j] * h[(int) (centre - (long) j * up)];
            }
            y[m] = s;
        }
        return y;
    }

    private static int gcd(int a, int b) {
        return b == 0 ? a : gcd(b, a % b);
    }
}
