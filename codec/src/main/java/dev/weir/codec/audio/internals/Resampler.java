package dev.weir.codec.audio.internals;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A streaming rational resampler: a Kaiser-windowed sinc low-pass evaluated in polyphase form (Crochiere &amp;
 * Rabiner, "Multirate Digital Signal Processing", 1983; Smith, "Digital Audio Resampling"). For a rate change
 * L/M (reduced), output sample m sits at input time m·M/L; with n = ⌊m·M/L⌋ and phase p = m·M mod L,
 * <pre>
 *   y[m] = Σ_{j=−W+1}^{W} x[n+j] · h(j − p/L),   h(t) = fc·sinc(fc·t)·kaiser(t / W),   fc = 0.94·min(1, L/M)
 * </pre>
 * so the pass band ends 6% below the lower of the two Nyquist frequencies (anti-aliasing when decimating) and
 * the filter spans W = ⌈{@value #ZERO_CROSSINGS}/fc⌉ input samples each side (Kaiser β = {@value #BETA}, about
 * 80 dB stop band). The filter history (the last 2W input samples) and the phase carry across calls, so the
 * output does not depend on how the input is cut into chunks. Each output sample needs W input samples after
 * it: that is the resampler's look-ahead. Equal rates pass samples through untouched (no delay).
 *
 * <p>Tables of the L phases are shared between instances (immutable) when L ≤ {@value #MAX_TABLE_PHASES};
 * otherwise taps are computed per output sample.
 */
public final class Resampler {

    static final int ZERO_CROSSINGS = 16;
    static final double BETA = 8.0;
    static final double PASS = 0.94;
    private static final int MAX_TABLE_PHASES = 4096;
    private static final ConcurrentHashMap<Long, float[]> TABLES = new ConcurrentHashMap<>();

    private final int inRate;
    private final int outRate;
    private final int up;
    private final int down;
    private final int halfWidth;
    private final double cutoff;
    private final float[] table;
    // Input samples not yet fully used; history[0] is input sample `base`.
    private float[] history = new float[0];
    private int historyLength;
    private long base;
    private long inputCount;
    // Next output: at input time (nextIndex + phase/up).
    private long nextIndex;
    private int phase;
    private long outputCount;

    public Resampler(int inRate, int outRate) {
        if (inRate <= 0 || outRate <= 0) {
            throw new IllegalArgumentException("rates must be positive: " + inRate + " → " + outRate);
        }
        this.inRate = inRate;
        this.outRate = outRate;
        int g = gcd(inRate, outRate);
        this.up = outRate / g;
        this.down = inRate / g;
        this.cutoff = PASS * Math.min(1.0, (double) up / down);
        this.halfWidth = up == down ? 0 : (int) Math.ceil(ZERO_CROSSINGS / cutoff);
        this.table = up == down || up > MAX_TABLE_PHASES ? null
                : TABLES.computeIfAbsent(((long) up << 32) | down, k -> buildTable());
    }

    public int inRate() {
        return inRate;
    }

    public int outRate() {
        return outRate;
    }

    /** Input samples each output sample needs after its own time (0 for equal rates). */
    public int lookAhead() {
        return halfWidth;
    }


    /** Resamples {@code input} (appended to the stream) and returns every output sample it completes. */
    public float[] process(float[] input) {
        if (up == down) {
            inputCount += input.length;
            outputCount += input.length;
            return input.clone();
        }
        append(input);
        return drain(inputCount);
    }

    /**
     * Ends the stream: returns the remaining output samples, as if the input were followed by zeros, up to
     * ⌈inputs·L/M⌉ outputs in all; the resampler then starts a new stream.
     */
    public float[] flush() {
        float[] out;
        if (up == down) {
            out = new float[0];
        } else {
            long target = ceilDiv(inputCount * up, down);
            long realInput = inputCount;
            append(new float[halfWidth + 1]);
            out = drain(realInput + halfWidth + 1);
            long extra = outputCount - target;
            if (extra > 0) {
                out = Arrays.copyOf(out, (int) (out.length - extra));
            }
        }
        reset();
        return out;
    }

    private void reset() {
        history = new float[0];
        historyLength = 0;
        base = 0;
        inputCount = 0;
        nextIndex = 0;
        phase = 0;
        outputCount = 0;
    }

    private void append(float[] input) {
        if (historyLength + input.length > history.length) {
            history = Arrays.copyOf(history, Math.max(historyLength + input.length, 2 * history.length));
        }
        System.arraycopy(input, 0, history, historyLength, input.length);
        historyLength += input.length;
        inputCount += input.length;
    }

    /** Produces outputs whose taps lie below {@code available} input samples, then drops the used history. */
    private float[] drain(long available) {
        long count = 0;
        long idx = nextIndex;
        int ph = phase;
        while (idx + halfWidth < available) {
            count++;
            ph += down;
            idx += ph / up;
            ph %= up;
        }
        float[] out = new float[(int) count];
        for (int i = 0; i < out.length; i++) {
            out[i] = sample(nextIndex, phase);
            phase += down;
            nextIndex += phase / up;
            phase %= up;
        }
        outputCount += count;
        long keepFrom = Math.max(base, nextIndex - halfWidth + 1);
        int drop = (int) (keepFrom - base);
        if (drop > 0) {
            System.arraycopy(history, drop, history, 0, historyLength - drop);
            historyLength -= drop;
            base = keepFrom;
        }
        return out;
    }

    private float sample(long index, int ph) {
        double acc = 0;
        int tapBase = ph * 2 * halfWidth;
        int jFirst = (int) Math.max(-halfWidth + 1, -index); // taps before the stream's first sample read zeros
        int at = (int) (index + jFirst - base);
        if (table != null) {
            int t = tapBase + jFirst + halfWidth - 1;
            for (int j = jFirst; j <= halfWidth; j++) {
                acc += history[at++] * (double) table[t++];
            }
        } else {
            for (int j = jFirst; j <= halfWidth; j++) {
                acc += history[at++] * tap(j - (double) ph / up);
            }
        }
        return (float) acc;
    }

    private float[] buildTable() {
        float[] t = new float[up * 2 * halfWidth];
        for (int p = 0; p < up; p++) {
            for (int j = -halfWidth + 1; j <= halfWidth; j++) {
                t[p * 2 * halfWidth + j + halfWidth - 1] = (float) tap(j - (double) p / up);
            }
        }
        return t;
    }

    private double tap(double t) {
        double r = t / halfWidth;
        if (Math.abs(r) >= 1) {
            return 0;
        }
        double x = cutoff * t;
        double sinc = x == 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
        return cutoff * sinc * bessel0(BETA * Math.sqrt(1 - r * r)) / bessel0(BETA);
    }

    /**
     * Modified Bessel function of the first kind, order 0 (power series, to a relative 1e-17: about 20 terms for
     * the Kaiser windows here, 200 at most). Also STOI's resampling filter.
     */
    public static double bessel0(double x) {
        double sum = 1;
        double term = 1;
        double q = x * x / 4;
        for (int k = 1; k < 200; k++) {
            term *= q / ((double) k * k);
            sum += term;
            if (term < 1e-17 * sum) {
                break;
            }
        }
        return sum;
    }

    private static int gcd(int a, int b) {
        return b == 0 ? a : gcd(b, a % b);
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }

    /** Bytes {@link #write} uses. */
    public int stateBytes() {
        return 4 + 8 * 4 + 4 + 4 * historyLength;
    }

    /** Writes the stream state (rates are not written; the owner knows them). */
    public void write(ByteBuffer out) {
        out.putInt(historyLength).putLong(base).putLong(inputCount).putLong(nextIndex).putLong(outputCount).putInt(phase);
        for (int i = 0; i < historyLength; i++) {
            out.putFloat(history[i]);
        }
    }

    /** Reads a state written by {@link #write} into a resampler of the same rates. */
    public void read(ByteBuffer in) {
        int length = in.getInt();
        long b = in.getLong();
        long inputs = in.getLong();
        long next = in.getLong();
        long outputs = in.getLong();
        int ph = in.getInt();
        if (length < 0 || length > in.remaining() / 4 || length > 4 * halfWidth + 1 << 16 || ph < 0 || ph >= up
                || b < 0 || next < 0 || inputs < b + length) {
            throw new IllegalArgumentException("resampler state out of range");
        }
        float[] h = new float[Math.max(length, 16)];
        for (int i = 0; i < length; i++) {
            h[i] = in.getFloat();
        }
        history = h;
        historyLength = length;
        base = b;
        inputCount = inputs;
        nextIndex = next;
        outputCount = outputs;
        phase = ph;
    }
}
