package dev.weir.codec.audio.internals;

import dev.weir.codec.compress.BudgetMeter;

import dev.weir.codec.audio.AudioCompressionConfig;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The encoder's compression state and decisions (see {@link AudioCompressionConfig}): noise floor, peak level
 * and hangover of the silence detector; the token each slot holds at the decoder (the cacher's closed loop);
 * the previous frame's band energies (novelty); and the pruner's token bank. Decisions depend only on this
 * state and the frame, so they are the same however the stream is cut into chunks, and survive a snapshot.
 */
final class AudioCompressor {

    /** What happens to one frame. */
    enum Kind {
        /** Active: tokenized, reused where the cacher allows, pruned under the budget. */
        ACTIVE,
        /** First frame of a silence run: its gain token only (the comfort-noise level). */
        SILENCE_START,
        /** Later frame of a silence run: nothing. */
        SILENCE
    }

    private static final double FRAMES_PER_SECOND = AudioCompressionConfig.FRAMES_PER_SECOND;

    private final AudioCompressionConfig config;
    private final FrameCoder coder;
    private final int slots;
    private final int bands;
    private final FrameCoder.ReusePolicy policy;

    private boolean hasLevels;
    private double floorDb;
    private double peakDb;
    private int hangover;
    private boolean inSilence;
    private final BudgetMeter bank;
    private double[] previousRawDb;
    private final int[] held;
    private final boolean[] heldValid;

    AudioCompressor(AudioCompressionConfig config, FrameCoder coder, int bands) {
        this.config = config;
        this.coder = coder;
        this.slots = coder.slots();
        this.bands = bands;
        this.policy = config.reuse() ? new FrameCoder.ReusePolicy(true, config.reuseGainSteps(),
                config.reuseEnvelope(), config.reuseShape(), config.reuseRelative()) : FrameCoder.ReusePolicy.OFF;
        this.bank = new BudgetMeter(config.budget());
        this.held = new int[slots];
        this.heldValid = new boolean[slots];
        reset();
    }

    void reset() {
        hasLevels = false;
        floorDb = 0;
        peakDb = 0;
        hangover = 0;
        inSilence = false;
        bank.start(slots);
        previousRawDb = null;
        Arrays.fill(held, 0);
        Arrays.fill(heldValid, false);
    }

    FrameCoder.ReusePolicy policy() {
        return policy;
    }

    int[] held() {
        return held;
    }

    boolean[] heldValid() {
        return heldValid;
    }

    /** Adds one frame's rate to the bank, tracks the levels with this frame's gain and classifies it. */
    Kind classify(double gainDb) {
        bank.refill(slots);
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
        Kind kind = !quiet ? Kind.ACTIVE : inSilence ? Kind.SILENCE : Kind.SILENCE_START;
        inSilence = quiet;
        return kind;
    }

    /**
     * Decides which slots of an active frame are sent: the cacher's non-reused slots, then, while the frame
     * wants more than the budget allows (or, for a quiet frame, more than {@code quietSlots}), the pruner drops the sent stage that removes the least distortion
     * ({@code value}) among those it may drop (never the gain or the first envelope stage; in a shape region only
     * its last stage still present). {@code present[s]} (out) says which slots the decoder will use: sent or
     * reused, and never a stage after an absent one of the same region. Pays the bank and updates the held tokens.
     *
     * @return tokens dropped by the pruner
     */
    int prune(double gainDb, double[] rawDb, int[] tokens, boolean[] reused, double[] value, boolean[] sent,
              boolean[] present) {
        int want = 0;
        for (int s = 0; s < slots; s++) {
            sent[s] = !reused[s];
            present[s] = true;
            want += sent[s] ? 1 : 0;
        }
        int allowed = allowance(importance(gainDb, rawDb));
        if (gainDb < peakDb - config.quietDb()) {
            allowed = Math.min(allowed, Math.max(coder.mandatorySlots(), config.quietSlots()));
        }
        int dropped = 0;
        while (want - dropped > allowed) {
            int victim = -1;
            for (int s = coder.mandatorySlots(); s < slots; s++) {
                if (sent[s] && droppable(s, present) && (victim < 0 || value[s] < value[victim])) {
                    victim = s;
                }
            }
            if (victim < 0) {
                break;
            }
            sent[victim] = false;
            present[victim] = false;
            dropped++;
            for (int s = victim + 1; s < slots; s++) { // later stages of the same region go with it
                if (coder.shapeStageOf(victim) >= 0 && coder.shapeStageOf(s) > 0 && !present[s - coder.regions()]) {
                    if (sent[s]) {
                        dropped++;
                    }
                    sent[s] = false;
                    present[s] = false;
                }
            }
        }
        int paid = 0;
        for (int s = 0; s < slots; s++) {
            if (sent[s]) {
                held[s] = tokens[s];
                heldValid[s] = true;
                paid++;
            }
        }
        pay(paid);
        previousRawDb = rawDb.clone();
        return dropped;
    }

    /** A sent slot the pruner may drop: an envelope stage after the first, or a region's last present stage. */
    private boolean droppable(int s, boolean[] present) {
        int stage = coder.shapeStageOf(s);
        if (stage < 0) {
            return s + 1 >= slots || coder.shapeStageOf(s + 1) >= 0 || !present[s + 1];
        }
        int next = s + coder.regions();
        return next >= slots || !present[next];
    }

    /** A silence frame: its raw energies become the previous frame's; the start of a run pays its gain token. */
    void silence(Kind kind, int gainToken, double[] rawDb) {
        if (kind == Kind.SILENCE_START) {
            held[0] = gainToken;
            heldValid[0] = true;
            pay(1);
        }
        previousRawDb = rawDb.clone();
    }

    /** The importance of a frame: its gain relative to the peak plus its weighted novelty (dB). */
    private double importance(double gainDb, double[] rawDb) {
        double novelty = 0;
        if (previousRawDb != null) {
            double s = 0;
            for (int i = 0; i < bands; i++) {
                double d = rawDb[i] - previousRawDb[i];
                s += d * d;
            }
            novelty = Math.sqrt(s / bands);
        }
        return gainDb - peakDb + config.noveltyWeight() * novelty;
    }

    /** Tokens a frame of this importance may spend: the bank above its reserve, at least the mandatory slots. */
    private int allowance(double importance) {
        if (Double.isInfinite(bank.capacity())) {
            return slots;
        }
        double rank = Math.clamp(1 + importance / config.importanceRangeDb(), 0, 1);
        double reserve = (1 - rank) * bank.capacity() / 2;
        return (int) Math.clamp((long) Math.floor(bank.bank() - reserve), coder.mandatorySlots(), slots);
    }

    private void pay(int tokens) {
        bank.spend(tokens);
    }

    int stateBytes() {
        return 1 + 8 + 8 + 4 + 1 + 8 + 1 + 8 * bands + slots * 3;
    }

    void write(ByteBuffer out) {
        out.put((byte) (hasLevels ? 1 : 0)).putDouble(floorDb).putDouble(peakDb).putInt(hangover)
                .put((byte) (inSilence ? 1 : 0)).putDouble(bank.bank());
        out.put((byte) (previousRawDb == null ? 0 : 1));
        for (int i = 0; i < bands; i++) {
            out.putDouble(previousRawDb == null ? 0 : previousRawDb[i]);
        }
        for (int s = 0; s < slots; s++) {
            out.put((byte) (heldValid[s] ? 1 : 0)).putShort((short) held[s]);
        }
    }

    void read(ByteBuffer in) {
        boolean levels = in.get() != 0;
        double floor = in.getDouble();
        double peak = in.getDouble();
        int hang = in.getInt();
        boolean silence = in.get() != 0;
        double b = in.getDouble();
        boolean hasPrevious = in.get() != 0;
        double[] previous = new double[bands];
        for (int i = 0; i < bands; i++) {
            previous[i] = in.getDouble();
        }
        int[] h = new int[slots];
        boolean[] valid = new boolean[slots];
        for (int s = 0; s < slots; s++) {
            valid[s] = in.get() != 0;
            h[s] = Short.toUnsignedInt(in.getShort());
            if (h[s] >= coder.slotSize(s)) {
                throw new IllegalArgumentException("held token " + h[s] + " outside slot " + s);
            }
        }
        if (hang < 0 || !Double.isFinite(floor) || !Double.isFinite(peak) || !Double.isFinite(b)) {
            throw new IllegalArgumentException("compression state out of range");
        }
        hasLevels = levels;
        floorDb = floor;
        peakDb = peak;
        hangover = hang;
        inSilence = silence;
        bank.restore(b);
        previousRawDb = hasPrevious ? previous : null;
        System.arraycopy(h, 0, held, 0, slots);
        System.arraycopy(valid, 0, heldValid, 0, slots);
    }
}
