package dev.weir.codec.audio.internals;

import dev.weir.codec.audio.AudioCodebook;
import dev.weir.kernels.ShapeCodebook;
import dev.weir.kernels.VectorKernels;

import java.util.List;

/**
 * Gain–shape quantization of MDCT frames (after CELT's energy/shape split, Valin et al., "Definition of the
 * Opus Audio Codec", RFC 6716 §4.3, with residual VQ in place of PVQ).
 *
 * <p>Analysis of a frame of N coefficients c:
 * <ol>
 *   <li>band log-energies E_b = 10·log10(mean_{k∈b} c_k² + 1) dB; gain g = mean_b E_b, quantized to the
 *       codebook's gain step (slot 0);</li>
 *   <li>envelope e_b = E_b − ĝ in 1/16 dB, residual-VQ over the envelope stages (slots 1..E) with the
 *       kernels' exact-integer {@code nearest} and {@code subtract}; the decoded envelope is
 *       Ê_b = ĝ + Σ_t 2^s·q_t[b] / 16;</li>
 *   <li>for each shape region: the coefficients divided by √10^(Ê_b/10) (the decoded envelope, so the encoder
 *       normalizes exactly as the decoder will rescale), scaled to RMS {@link AudioCodebook#SHAPE_RMS} per
 *       component and rounded to shorts, then residual-VQ over the shape stages.</li>
 * </ol>
 * Synthesis sums a region's present shape stages, and rescales each band of that sum to the decoded band
 * energy (so the envelope is exact whatever the shape); bands without shape (above the last region, pruned
 * stages, an all-zero sum) are filled with deterministic noise of the band's energy, a function of the
 * frame's stream index alone.
 */
public final class FrameCoder {

    private final AudioCodebook codebook;
    private final VectorKernels kernels;
    private final int n;
    private final int bands;
    private final int regions;
    private final int[] bandEdges;
    private final int[] regionEdges;
    private final int[] bandOf;
    private final List<ShapeCodebook> envelope;
    private final List<List<ShapeCodebook>> shape;
    private final int slots;

    public FrameCoder(AudioCodebook codebook, VectorKernels kernels) {
        this.codebook = codebook;
        this.kernels = kernels;
        this.n = codebook.hop();
        this.bandEdges = codebook.bandEdges();
        this.regionEdges = codebook.regionEdges();
        this.bands = bandEdges.length - 1;
        this.regions = regionEdges.length - 1;
        this.envelope = codebook.envelopeStages();
        this.shape = codebook.shapeStages();
        this.slots = codebook.slotsPerFrame();
        this.bandOf = new int[n];
        java.util.Arrays.fill(bandOf, -1);
        for (int b = 0; b < bands; b++) {
            for (int k = bandEdges[b]; k < bandEdges[b + 1]; k++) {
                bandOf[k] = b;
            }
        }
    }

    public int slots() {
        return slots;
    }

    public int regions() {
        return regions;
    }

    /** Codebook size of slot {@code slot}. */
    public int slotSize(int slot) {
        return codebook.slotSize(slot);
    }

    /** Slots that are never pruned: the gain and the first envelope stage. */
    public int mandatorySlots() {
        return 2;
    }

    /** Band log-energies E_b in dB (unquantized), of one frame. */
    public double[] bandDb(double[] c) {
        double[] e = new double[bands];
        for (int b = 0; b < bands; b++) {
            double sum = 0;
            for (int k = bandEdges[b]; k < bandEdges[b + 1]; k++) {
                sum += c[k] * c[k];
            }
            e[b] = 10 * Math.log10(sum / (bandEdges[b + 1] - bandEdges[b]) + 1);
        }
        return e;
    }

    /** Gain in dB of a frame with band energies {@code bandDb}: their mean. */
    public static double gainDb(double[] bandDb) {
        double s = 0;
        for (double v : bandDb) {
            s += v;
        }
        return s / bandDb.length;
    }

    /** The gain token of {@code gainDb}. */
    public int gainToken(double gainDb) {
        double step = codebook.gainStepCentiDb() / 100.0;
        long q = Math.round((gainDb - codebook.gainMinCentiDb() / 100.0) / step);
        return (int) Math.clamp(q, 0, codebook.gainLevels() - 1);
    }

    /** The dB value of gain token {@code token}. */
    public double gainValue(int token) {
        return (codebook.gainMinCentiDb() + (long) token * codebook.gainStepCentiDb()) / 100.0;
    }

    /**
     * Gain and envelope tokens (slots 0..E) of {@code count} frames without reuse, in one kernel call per stage
     * (the trainer's path).
     *
     * @param decodedDb out: the decoded band envelope Ê of each frame, {@code count × bands}
     * @param rawDb     out: the unquantized band energies E of each frame, {@code count × bands}
     */
    public void analyzeEnvelope(double[][] coefficients, int count, int[] tokens, double[] decodedDb, double[] rawDb) {
        if (count == 0) {
            return;
        }
        short[] env = new short[count * bands];
        for (int f = 0; f < count; f++) {
            double[] e = bandDb(coefficients[f]);
            System.arraycopy(e, 0, rawDb, f * bands, bands);
            int g = gainToken(gainDb(e));
            tokens[f * slots] = g;
            double gv = gainValue(g);
            for (int b = 0; b < bands; b++) {
                env[f * bands + b] = toShort((e[b] - gv) * AudioCodebook.ENVELOPE_UNITS_PER_DB);
            }
        }
        int[] idx = new int[count];
        for (int t = 0; t < envelope.size(); t++) {
            kernels.nearest(env, null, count, envelope.get(t), idx);
            kernels.subtract(env, null, count, envelope.get(t), idx);
            for (int f = 0; f < count; f++) {
                tokens[f * slots + 1 + t] = idx[f];
            }
        }
        for (int f = 0; f < count; f++) {
            envelopeDb(tokens, f * slots, envelope.size(), decodedDb, f * bands);
        }
    }

    /** The normalized shape vector of region {@code r} of one frame (for training). */
    public short[] shapeVector(double[] c, double[] decodedDb, int dbOffset, int r) {
        int lo = regionEdges[r];
        int d = regionEdges[r + 1] - lo;
        short[] v = new short[d];
        normalizedShape(c, decodedDb, dbOffset, lo, d, v, 0);
        return v;
    }

    public int bands() {
        return bands;
    }

    /**
     * When the cacher may reuse the token a slot held at the decoder instead of the best new one (closed loop:
     * everything after a reused stage is computed from the reused token). Distortions are estimated in the
     * MDCT domain: an envelope error of δ dB in band b costs about n_b·P_b·(δ·ln10/20)², a shape error costs
     * its squared error weighted by the band energy P_b of each component (P_b from the decoded envelope).
     *
     * @param on        reuse at all
     * @param gainSteps reuse the held gain when the new gain token is at most this many steps away
     * @param envelope  reuse a held envelope token when it adds at most this share of the frame's energy as
     *                  distortion over the best token
     * @param shape     the same for shape tokens
     * @param relative  ... and only when its squared error in the normalized domain (what the search minimizes)
     *                  is at most (1 + relative) times the best token's, so that quiet bands keep their shape
     */
    public record ReusePolicy(boolean on, int gainSteps, double envelope, double shape, double relative) {

        /** Never reuse. */
        public static final ReusePolicy OFF = new ReusePolicy(false, 0, 0, 0, 0);
    }

    /**
     * Tokenizes one frame with reuse: {@code tokens[s]} is the token of slot s (new, or the held one when
     * {@code reused[s]}); {@code value[s]} estimates the distortion (MDCT-domain squared error) the slot's
     * token removes, which the pruner uses to drop the least valuable stages first.
     *
     * @param held      the token each slot holds at the decoder
     * @param heldValid whether the slot holds one
     */
    public void encodeFrame(double[] c, int[] held, boolean[] heldValid, ReusePolicy policy, int[] tokens,
                            boolean[] reused, double[] value) {
        java.util.Arrays.fill(reused, false);
        java.util.Arrays.fill(value, Double.POSITIVE_INFINITY);
        double[] e = bandDb(c);
        int g = gainToken(gainDb(e));
        if (policy.on() && heldValid[0] && Math.abs(g - held[0]) <= policy.gainSteps()) {
            g = held[0];
            reused[0] = true;
        }
        tokens[0] = g;
        double gv = gainValue(g);
        double[] power = new double[bands];
        double frameEnergy = 0;
        for (int b = 0; b < bands; b++) {
            power[b] = Math.max(0, Math.pow(10, e[b] / 10) - 1);
            frameEnergy += power[b] * (bandEdges[b + 1] - bandEdges[b]);
        }
        short[] env = new short[bands];
        double[] envWeight = new double[bands];
        double perUnit = Math.log(10) / 20 / AudioCodebook.ENVELOPE_UNITS_PER_DB;
        for (int b = 0; b < bands; b++) {
            env[b] = toShort((e[b] - gv) * AudioCodebook.ENVELOPE_UNITS_PER_DB);
            envWeight[b] = (bandEdges[b + 1] - bandEdges[b]) * power[b] * perUnit * perUnit;
        }
        double before = weighted(env, envWeight);
        for (int t = 0; t < envelope.size(); t++) {
            int slot = 1 + t;
            tokens[slot] = choose(env, envWeight, envelope.get(t), held[slot], policy.on() && heldValid[slot],
                    policy.envelope() * frameEnergy, 1 + policy.relative(), reused, slot, true);
            double after = weighted(env, envWeight);
            value[slot] = before - after;
            before = after;
        }
        double[] decodedDb = new double[bands];
        envelopeDb(tokens, 0, envelope.size(), decodedDb, 0);
        for (int r = 0; r < regions; r++) {
            short[] v = shapeVector(c, decodedDb, 0, r);
            double[] w = shapeWeights(c, decodedDb, r);
            before = 2 * weighted(v, w); // no shape at all: noise of the same energy
            for (int t = 0; t < shape.size(); t++) {
                int slot = shapeSlot(t, r);
                tokens[slot] = choose(v, w, shape.get(t).get(r), held[slot], policy.on() && heldValid[slot],
                        policy.shape() * frameEnergy, 1 + policy.relative(), reused, slot, true);
                double after = weighted(v, w);
                value[slot] = before - after;
                before = after;
            }
        }
    }

    /**
     * Per component of region r's shape vector: the MDCT-domain energy of one unit, P̂_b·‖x‖²/(d·RMS²), with x
     * the coefficients divided by the decoded envelope.
     */
    private double[] shapeWeights(double[] c, double[] decodedDb, int r) {
        int lo = regionEdges[r];
        int d = regionEdges[r + 1] - lo;
        double norm = 0;
        double[] p = new double[d];
        for (int i = 0; i < d; i++) {
            p[i] = i > 0 && bandOf[lo + i] == bandOf[lo + i - 1] ? p[i - 1] : Math.pow(10, decodedDb[bandOf[lo + i]] / 10);
            norm += c[lo + i] * c[lo + i] / p[i];
        }
        double scale = norm / ((double) d * AudioCodebook.SHAPE_RMS * AudioCodebook.SHAPE_RMS);
        for (int i = 0; i < d; i++) {
            p[i] *= scale;
        }
        return p;
    }

    private static double weighted(short[] v, double[] w) {
        double s = 0;
        for (int i = 0; i < v.length; i++) {
            s += w[i] * v[i] * v[i];
        }
        return s;
    }

    /**
     * The best entry for {@code v}, or the held one when it adds at most {@code slack} weighted distortion;
     * subtracts the choice from {@code v} when asked.
     */
    private int choose(short[] v, double[] w, ShapeCodebook cb, int heldToken, boolean mayReuse, double slack,
                       double relative, boolean[] reused, int slot, boolean subtract) {
        int[] idx = new int[1];
        kernels.nearest(v, null, 1, cb, idx);
        if (mayReuse && (idx[0] == heldToken || squaredError(v, cb, heldToken) <= squaredError(v, cb, idx[0]) * relative
                && weightedError(v, w, cb, heldToken) <= weightedError(v, w, cb, idx[0]) + slack)) {
            idx[0] = heldToken;
            reused[slot] = true;
        }
        if (subtract) {
            kernels.subtract(v, null, 1, cb, idx);
        }
        return idx[0];
    }

    /** ‖v − 2^s·q_j‖², exact. */
    private static long squaredError(short[] v, ShapeCodebook cb, int j) {
        long sum = 0;
        int s = cb.scaleShift();
        for (int i = 0; i < v.length; i++) {
            long d = v[i] - ((long) cb.q(j, i) << s);
            sum += d * d;
        }
        return sum;
    }

    private static double weightedError(short[] v, double[] w, ShapeCodebook cb, int j) {
        double sum = 0;
        int s = cb.scaleShift();
        for (int i = 0; i < v.length; i++) {
            double d = v[i] - ((long) cb.q(j, i) << s);
            sum += w[i] * d * d;
        }
        return sum;
    }

    /** The slot of shape stage {@code t}, region {@code r}. */
    public int shapeSlot(int t, int r) {
        return 1 + envelope.size() + t * regions + r;
    }

    /**
     * The decoded band envelope Ê (dB) from a frame's gain token and its first {@code envelopeStages} envelope
     * tokens at {@code tokens[offset ..]}, written to {@code out[outOffset .. +bands)}.
     */
    public void envelopeDb(int[] tokens, int offset, int envelopeStages, double[] out, int outOffset) {
        double g = gainValue(tokens[offset]);
        for (int b = 0; b < bands; b++) {
            long sum = 0;
            for (int t = 0; t < envelopeStages; t++) {
                ShapeCodebook cb = envelope.get(t);
                sum += (long) cb.q(tokens[offset + 1 + t], b) << cb.scaleShift();
            }
            out[outOffset + b] = g + (double) sum / AudioCodebook.ENVELOPE_UNITS_PER_DB;
        }
    }

    /** Region [lo, lo+d) of c divided by the decoded envelope, scaled to RMS SHAPE_RMS, as shorts. */
    private void normalizedShape(double[] c, double[] decodedDb, int dbOffset, int lo, int d, short[] out, int outOffset) {
        double[] x = new double[d];
        double norm = 0;
        int band = -1;
        double inverse = 0;
        for (int i = 0; i < d; i++) {
            int k = lo + i;
            if (bandOf[k] != band) {
                band = bandOf[k];
                inverse = 1 / Math.sqrt(Math.pow(10, decodedDb[dbOffset + band] / 10));
            }
            x[i] = c[k] * inverse;
            norm += x[i] * x[i];
        }
        double scale = norm == 0 ? 0 : AudioCodebook.SHAPE_RMS * Math.sqrt(d / norm);
        for (int i = 0; i < d; i++) {
            out[outOffset + i] = toShort(x[i] * scale);
        }
    }

    private static short toShort(double v) {
        return (short) Math.clamp(Math.round(v), -2047, 2047);
    }

    /**
     * Rebuilds one frame's N coefficients from the slots marked {@code present} in {@code tokens[0..slots)}
     * (the gain and the first envelope stage must be present). {@code frameIndex} seeds the noise fill.
     */
    public void synthesize(int[] tokens, boolean[] present, long frameIndex, double[] out) {
        double[] db = new double[bands];
        int envStages = 0;
        while (envStages < envelope.size() && present[1 + envStages]) {
            envStages++;
        }
        envelopeDb(tokens, 0, envStages, db, 0);
        double[] target = new double[bands];
        for (int b = 0; b < bands; b++) {
            target[b] = Math.max(0, Math.pow(10, db[b] / 10) - 1);
        }
        noiseFill(frameIndex, target, out);
        long[] v = new long[n];
        for (int r = 0; r < regions; r++) {
            int lo = regionEdges[r];
            int hi = regionEdges[r + 1];
            boolean any = false;
            for (int t = 0; t < shape.size(); t++) {
                int slot = shapeSlot(t, r);
                if (!present[slot]) {
                    break;
                }
                ShapeCodebook cb = shape.get(t).get(r);
                int j = tokens[slot];
                for (int k = lo; k < hi; k++) {
                    v[k] += (long) cb.q(j, k - lo) << cb.scaleShift();
                }
                any = true;
            }
            if (any) {
                shapeBands(v, lo, hi, target, out);
            }
        }
    }

    /** Each band of [lo, hi) of {@code v} rescaled to its target mean energy; all-zero bands keep the noise. */
    private void shapeBands(long[] v, int lo, int hi, double[] target, double[] out) {
        for (int b = bandOf[lo]; b < bands && bandEdges[b] < hi; b++) {
            double energy = 0;
            for (int k = bandEdges[b]; k < bandEdges[b + 1]; k++) {
                energy += (double) v[k] * v[k];
            }
            if (energy == 0) {
                continue;
            }
            double scale = Math.sqrt(target[b] * (bandEdges[b + 1] - bandEdges[b]) / energy);
            for (int k = bandEdges[b]; k < bandEdges[b + 1]; k++) {
                out[k] = v[k] * scale;
            }
        }
    }

    /** Whether slot {@code slot} is a shape slot, and its stage (−1 otherwise). */
    public int shapeStageOf(int slot) {
        int s = slot - 1 - envelope.size();
        return s < 0 ? -1 : s / regions;
    }

    /** Comfort noise: flat noise at the level of gain token {@code gainToken} (a silence frame). */
    public void comfortNoise(int gainToken, long frameIndex, double[] out) {
        double level = Math.max(0, Math.pow(10, gainValue(gainToken) / 10) - 1);
        double[] target = new double[bands];
        java.util.Arrays.fill(target, level);
        noiseFill(frameIndex, target, out);
    }

    /** Unit-variance deterministic noise per bin, scaled to each band's mean energy; zero outside the bands. */
    private void noiseFill(long frameIndex, double[] target, double[] out) {
        java.util.Arrays.fill(out, 0);
        for (int b = 0; b < bands; b++) {
            double amp = Math.sqrt(target[b]);
            for (int k = bandEdges[b]; k < bandEdges[b + 1]; k++) {
                out[k] = amp * noise(frameIndex, k);
            }
        }
    }

    /** Uniform noise of variance 1 from a SplitMix64 hash of (frame, bin). */
    static double noise(long frame, int bin) {
        long z = frame * 0x9E3779B97F4A7C15L + bin * 0xBF58476D1CE4E5B9L + 0x94D049BB133111EBL;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z = z ^ (z >>> 31);
        double u = (z >>> 11) * 0x1.0p-53;
        return (2 * u - 1) * Math.sqrt(3);
    }
}
