package dev.weir.codec.audio.internals;

import dev.weir.codec.audio.AudioCompressionConfig;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The encoder's compression state and decisions (see {@link AudioCompressionConfig}): noise floor, peak level
 * and hangover for the silence detector, the last frame sent (as the decoder holds it) for reuse, and the
 * token bank of the pruner. Decisions depend only on this state and the frame, so they are the same however
 * the stream is cut into chunks, and survive a snapshot.
 */
final class AudioCompressor {

    /** What happens to one frame. */
    enum Kind {
        /** Tokenized and sent (perhaps pruned). */
        SENT,
        /** First frame of a silence run: its gain token only (the comfort-noise level). */
        SILENCE_START,
        /** Later frame of a silence run: nothing. */
        SILENCE,
        /** Near-identical to the last frame sent: its tokens are reused, nothing sent. */
        REUSED
    }

    private static final double FRAMES_PER_SECOND = 50;

    private final AudioCompressionConfig config;
    private final int slots;
    private final int mandatory;
    private final int bands;
    private final double capacity;
    private final double perFrame;

    private boolean hasLevels;
    private double floorDb;
    private double peakDb;
    private int hangover;
    private boolean inSilence;
    private double bank;
    private double[] previousRawDb;
    private int lastKept;
    private int lastGainToken;
    private double[] lastDecodedDb;

    AudioCompressor(AudioCompressionConfig config, int slots, int mandatory, int bands) {
        this.config = config;
        this.slots = slots;
        this.mandatory = mandatory;
        this.bands = bands;
        if (config.budget() instanceof AudioCompressionConfig.Budget.Rate r) {
            this.perFrame = r.tokensPerSecond() / FRAMES_PER_SECOND;
            this.capacity = Math.max(r.tokensPerSecond() * r.bankSeconds(), slots);
        } else {
            this.perFrame = Double.POSITIVE_INFINITY;
            this.capacity = Double.POSITIVE_INFINITY;
        }
        reset();
    }

    void reset() {
        hasLevels = false;
        floorDb = 0;
        peakDb = 0;
        hangover = 0;
        inSilence = false;
        bank = capacity;
        previousRawDb = null;
        lastKept = 0;
        lastGainToken = -1;
        lastDecodedDb = null;
    }

    /** Tracks the levels with this frame and classifies it. */
    Kind classify(double gainDb, int gainToken, double[] rawDb, int rawOffset, double[] decodedDb, int decodedOffset) {
        if (!hasLevels) {
            floorDb = gainDb;
            peakDb = gainDb;
            hasLevels = true;
        } else {
            floorDb = Math.min(gainDb, floorDb + config.floorRiseDbPerSecond() / FRAMES_PER_SECOND);
            peakDb = Math.max(gainDb, peakDb - config.peakFallDbPerSecond() / FRAMES_PER_SECOND);
        }
        boolean quiet = config.silence() && gainDb < floorDb + config.silenceMarginDb()
                && gainDb < peakDb - config.silenceDepthDb();
        if (!quiet) {
            hangover = config.hangoverFrames();
        } else if (hangover > 0) {
            hangover--;
            quiet = false;
        }
        if (quiet) {
            Kind kind = inSilence ? Kind.SILENCE : Kind.SILENCE_START;
            inSilence = true;
            return kind;
        }
        inSilence = false;
        if (config.reuseDb() > 0 && lastKept > 0 && gainToken == lastGainToken
                && rmsDifference(decodedDb, decodedOffset, lastDecodedDb, 0) <= config.reuseDb()) {
            return Kind.REUSED;
        }
        return Kind.SENT;
    }

    /** The importance of a frame: its gain relative to the peak plus its weighted novelty (dB). */
    double importance(double gainDb, double[] rawDb, int rawOffset) {
        double novelty = previousRawDb == null ? 0 : rmsDifference(rawDb, rawOffset, previousRawDb, 0);
        return gainDb - peakDb + config.noveltyWeight() * novelty;
    }

    /** Remembers this frame's raw band energies as the previous frame's (for novelty). */
    void observed(double[] rawDb, int rawOffset) {
        previousRawDb = Arrays.copyOfRange(rawDb, rawOffset, rawOffset + bands);
    }

    /** Adds one frame's rate to the bank. */
    void tick() {
        bank = Math.min(capacity, bank + perFrame);
    }

    /** How many slots (a prefix) a SENT frame of this importance keeps under the budget. */
    int keep(double importance) {
        if (Double.isInfinite(capacity)) {
            return slots;
        }
        double rank = Math.clamp(1 + importance / config.importanceRangeDb(), 0, 1);
        double reserve = (1 - rank) * capacity / 2;
        long affordable = (long) Math.floor(bank - reserve);
        return (int) Math.clamp(affordable, mandatory, slots);
    }

    /** Pays for {@code tokens} tokens sent. */
    void pay(int tokens) {
        if (!Double.isInfinite(capacity)) {
            bank -= tokens;
        }
    }

    /** A frame was sent with its first {@code kept} slots: it is what the decoder now holds for reuse. */
    void sent(int gainToken, int kept, double[] decodedDb) {
        lastGainToken = gainToken;
        lastKept = kept;
        lastDecodedDb = decodedDb.clone();
    }

    int lastKept() {
        return lastKept;
    }

    private double rmsDifference(double[] a, int aOffset, double[] b, int bOffset) {
        double s = 0;
        for (int i = 0; i < bands; i++) {
            double d = a[aOffset + i] - b[bOffset + i];
            s += d * d;
        }
        return Math.sqrt(s / bands);
    }

    int stateBytes() {
        return 1 + 8 + 8 + 4 + 1 + 8 + 1 + 8 * bands + 4 + 4 + 1 + 8 * bands;
    }

    void write(ByteBuffer out) {
        out.put((byte) (hasLevels ? 1 : 0)).putDouble(floorDb).putDouble(peakDb).putInt(hangover)
                .put((byte) (inSilence ? 1 : 0)).putDouble(Double.isInfinite(bank) ? 0 : bank);
        writeVector(out, previousRawDb);
        out.putInt(lastKept).putInt(lastGainToken);
        writeVector(out, lastDecodedDb);
    }

    private void writeVector(ByteBuffer out, double[] v) {
        out.put((byte) (v == null ? 0 : 1));
        for (int i = 0; i < bands; i++) {
            out.putDouble(v == null ? 0 : v[i]);
        }
    }

    void read(ByteBuffer in) {
        boolean levels = in.get() != 0;
        double floor = in.getDouble();
        double peak = in.getDouble();
        int hang = in.getInt();
        boolean silence = in.get() != 0;
        double b = in.getDouble();
        double[] previous = readVector(in);
        int kept = in.getInt();
        int gain = in.getInt();
        double[] decoded = readVector(in);
        if (hang < 0 || kept < 0 || kept > slots || (kept > 0) != (decoded != null)) {
            throw new IllegalArgumentException("compression state out of range");
        }
        hasLevels = levels;
        floorDb = floor;
        peakDb = peak;
        hangover = hang;
        inSilence = silence;
        bank = Double.isInfinite(capacity) ? capacity : b;
        previousRawDb = previous;
        lastKept = kept;
        lastGainToken = gain;
        lastDecodedDb = decoded;
    }

    private double[] readVector(ByteBuffer in) {
        boolean present = in.get() != 0;
        double[] v = new double[bands];
        for (int i = 0; i < bands; i++) {
            v[i] = in.getDouble();
        }
        return present ? v : null;
    }
}
