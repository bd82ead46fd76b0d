package dev.weir.codec.audio.internals;

import org.jtransforms.fft.DoubleFFT_1D;

/**
 * The modified discrete cosine transform of a 2N-sample frame into N coefficients, with a sine window that
 * meets the Princen–Bradley condition w[n]² + w[n+N]² = 1, so that overlap-adding the inverse transforms of
 * frames hopped by N cancels the time-domain aliasing exactly (TDAC: Princen &amp; Bradley, "Analysis/synthesis
 * filter bank design based on time domain aliasing cancellation", IEEE TASSP 1986).
 *
 * <p>Orthonormal scaling:
 * <pre>
 *   X[k] = √(2/N) · Σ_{n=0}^{2N−1} w[n]·x[n]·cos(π/N · (n + ½ + N/2) · (k + ½))
 *   y[n] = √(2/N) · w[n] · Σ_{k=0}^{N−1} X[k]·cos(π/N · (n + ½ + N/2) · (k + ½))
 * </pre>
 * computed as a fold to N samples followed by a DCT-IV, itself an N/2-point complex FFT (JTransforms) between
 * a pre- and a post-twiddle. Not thread-safe (scratch buffers); cheap to create.
 */
public final class Mdct {

    private final int n;
    private final int half;
    private final double[] window;
    private final double[] preCos;
    private final double[] preSin;
    private final double[] postCos;
    private final double[] postSin;
    private final DoubleFFT_1D fft;
    private final double[] folded;
    private final double[] complex;
    private final double scale;

    /** An MDCT with N = {@code n} coefficients (n even). */
    public Mdct(int n) {
        if (n <= 0 || n % 2 != 0) {
            throw new IllegalArgumentException("MDCT size must be even and positive: " + n);
        }
        this.n = n;
        this.half = n / 2;
        this.window = new double[2 * n];
        for (int i = 0; i < 2 * n; i++) {
            window[i] = Math.sin(Math.PI * (i + 0.5) / (2 * n));
        }
        preCos = new double[half];
        preSin = new double[half];
        postCos = new double[half];
        postSin = new double[half];
        for (int m = 0; m < half; m++) {
            preCos[m] = Math.cos(-Math.PI * m / n);
            preSin[m] = Math.sin(-Math.PI * m / n);
            postCos[m] = Math.cos(-Math.PI * (4 * m + 1) / (4.0 * n));
            postSin[m] = Math.sin(-Math.PI * (4 * m + 1) / (4.0 * n));
        }
        fft = new DoubleFFT_1D(half);
        folded = new double[n];
        complex = new double[n];
        scale = Math.sqrt(2.0 / n);
    }

    /** N: coefficients per frame, and the hop. */
    public int size() {
        return n;
    }

    /** The analysis/synthesis window value at {@code i} in [0, 2N). */
    public double window(int i) {
        return window[i];
    }

    /**
     * Forward transform of {@code x[offset .. offset+2N)} into {@code out[0..N)}.
     */
    public void forward(float[] x, int offset, double[] out) {
        int q3 = 3 * half;
        for (int i = 0; i < half; i++) {
            folded[i] = -w(x, offset, q3 - 1 - i) - w(x, offset, q3 + i);
            folded[half + i] = w(x, offset, i) - w(x, offset, n - 1 - i);
        }
        dct4(folded, out);
        for (int k = 0; k < n; k++) {
            out[k] *= scale;
        }
    }

    private double w(float[] x, int offset, int i) {
        return window[i] * x[offset + i];
    }

    /**
     * Inverse transform of {@code coefficients[0..N)}, windowed, added into {@code out[offset .. offset+2N)}
     * (overlap-add).
     */
    public void inverseAdd(double[] coefficients, double[] out, int offset) {
        double[] v = new double[n];
        dct4(coefficients, v);
        int q3 = 3 * half;
        for (int j = 0; j < 2 * n; j++) {
            double u;
            if (j < half) {
                u = v[j + half];
            } else if (j < q3) {
                u = -v[q3 - 1 - j];
            } else {
                u = -v[j - q3];
            }
            out[offset + j] += scale * window[j] * u;
        }
    }

    /**
     * DCT-IV, X[k] = Σ v[i]·cos(π/N·(i+½)·(k+½)), through an N/2-point complex FFT: with
     * c[m] = (v[2m] + i·v[N−1−2m])·e^{−iπm/N} and D = e^{−iπ(4p+1)/(4N)}·FFT(c)[p],
     * X[2p] = Re D_p and X[N−1−2p] = −Im D_p.
     */
    private void dct4(double[] v, double[] out) {
        for (int m = 0; m < half; m++) {
            double re = v[2 * m];
            double im = v[n - 1 - 2 * m];
            complex[2 * m] = re * preCos[m] - im * preSin[m];
            complex[2 * m + 1] = re * preSin[m] + im * preCos[m];
        }
        fft.complexForward(complex);
        for (int p = 0; p < half; p++) {
            double re = complex[2 * p];
            double im = complex[2 * p + 1];
            double dRe = re * postCos[p] - im * postSin[p];
            double dIm = re * postSin[p] + im * postCos[p];
            out[2 * p] = dRe;
            out[n - 1 - 2 * p] = -dIm;
        }
    }
}
