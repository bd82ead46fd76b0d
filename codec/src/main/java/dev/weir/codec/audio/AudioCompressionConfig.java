package dev.weir.codec.audio;

import dev.weir.codec.compress.Budget;

import java.util.Objects;

/**
 * How an {@link AudioEncoder} compresses a stream: the STC ideas (a closed-loop cacher and a budgeted pruner)
 * in audio form. See docs/audio.md for what each knob does to rate and fidelity.
 *
 * <p><b>Silence (DTX).</b> An adaptive noise floor (the minimum frame gain, rising {@code floorRiseDbPerSecond})
 * and a peak level (the maximum, falling {@code peakFallDbPerSecond}) are tracked from the frame gains. A frame
 * is silent when its gain is below floor + {@code silenceMarginDb} and at least {@code silenceDepthDb} below the
 * peak (so a steady tone or music bed is never silence), and no active frame came in the last
 * {@code hangoverFrames}. The first frame of a silence run sends one token (its gain: the comfort-noise level);
 * the rest of the run sends nothing, and the decoder plays deterministic comfort noise (discontinuous
 * transmission, as Opus DTX, RFC 6716 / RFC 7587).
 *
 * <p><b>Cacher.</b> Every slot of a frame (gain, envelope stage, shape stage of a region) holds a token at the
 * decoder: the last one sent there. When the held token is nearly as good as the best new one, the encoder
 * keeps it: nothing is sent and the position is listed as reused. "Nearly": the gain within
 * {@code reuseGainSteps} quantizer steps; an envelope or shape stage whose token adds at most
 * {@code reuseEnvelope} (or {@code reuseShape}) times the frame's energy as distortion over the best token
 * (estimated in the MDCT domain, so a quiet band's shape is reused long before a loud one's). A held token
 * equal to the best is always reused. The encoder continues from the token actually kept (closed loop), so
 * encoder and decoder never drift.
 *
 * <p><b>Pruner.</b> A quiet frame, more than {@code quietDb} below the peak level, sends at most
 * {@code quietSlots} tokens: STOI normalizes each band's envelope over 384 ms, so the quiet frames between louder
 * ones barely move it, and the stages dropped are those that remove the least distortion. Under
 * {@link Budget.Rate} (the budget every modality shares, {@link dev.weir.codec.compress.BudgetMeter}) a token bank
 * gains {@code tokensPerSecond/50} tokens per frame, holds at most {@code bankSeconds} of rate, and pays for every
 * token sent. Each frame's importance is its
 * gain relative to the peak plus its novelty (RMS envelope change from the previous frame, in dB); a frame of
 * rank ρ = clamp(1 + importance / {@code importanceRangeDb}, 0, 1) may spend the bank only down to a reserve of
 * (1 − ρ)·capacity/2, so quiet, steady frames are pruned first and loud, changing frames keep their tokens.
 * Within a frame the pruner drops the stage that removes the least distortion first (a region's last stage
 * only: residual stages go before the stage they refine). The gain and the first envelope stage are never
 * pruned.
 *
 * @param silence              run the silence detector (DTX)
 * @param silenceMarginDb      a frame within this many dB of the noise floor may be silence
 * @param silenceDepthDb       ... and must be at least this far below the peak level
 * @param hangoverFrames       frames after an active one that are never silence
 * @param floorRiseDbPerSecond how fast the noise floor rises when the gain stays above it
 * @param peakFallDbPerSecond  how fast the peak level falls when the gain stays below it
 * @param reuse                run the cacher
 * @param reuseGainSteps       gain steps within which the held gain is kept
 * @param reuseEnvelope        extra distortion, as a share of the frame's energy, within which a held envelope
 *                             token is kept
 * @param reuseShape           the same for shape tokens
 * @param reuseRelative        ... and only when the held token's error in the normalized domain (what the search
 *                             minimizes) is at most (1 + this) times the best's, so quiet bands keep their shape
 * @param quietDb              an active frame more than this far below the peak level is quiet (infinite: none is)
 * @param quietSlots           ... and sends at most this many tokens (at least the gain and first envelope stage)
 * @param budget               how many tokens may be sent
 * @param importanceRangeDb    importance span of the pruner's reserve
 * @param noveltyWeight        weight of the envelope change in a frame's importance
 */
public record AudioCompressionConfig(boolean silence, double silenceMarginDb, double silenceDepthDb, int hangoverFrames,
                                     double floorRiseDbPerSecond, double peakFallDbPerSecond, boolean reuse,
                                     int reuseGainSteps, double reuseEnvelope, double reuseShape, double reuseRelative,
                                     double quietDb, int quietSlots, Budget budget,
                                     double importanceRangeDb, double noveltyWeight) {

    /** Default token rate of {@link #defaults()}: tokens per second. */
    public static final double DEFAULT_TOKENS_PER_SECOND = 600;
    /** Default bank of {@link #defaults()}: seconds of rate. */
    public static final double DEFAULT_BANK_SECONDS = 2;

    public AudioCompressionConfig {
        Objects.requireNonNull(budget, "budget");
        requireRateOrUnlimited(budget);
        if (!(silenceMarginDb >= 0) || !(silenceDepthDb >= 0) || hangoverFrames < 0 || !(floorRiseDbPerSecond >= 0)
                || !(peakFallDbPerSecond >= 0) || reuseGainSteps < 0 || !(reuseEnvelope >= 0) || !(reuseShape >= 0) || !(reuseRelative >= 0)
                || !(quietDb >= 0) || quietSlots < 0
                || !(importanceRangeDb > 0) || !(noveltyWeight >= 0)) {
            throw new IllegalArgumentException("audio compression settings must be non-negative (importance range > 0)");
        }
    }

    /**
     * Compression on: DTX, the cacher (envelope 0.05, shape 0.007 of the frame energy, relative 0.52), quiet frames
     * (10 dB below the peak) at 7 tokens, and a {@value #DEFAULT_TOKENS_PER_SECOND} tokens/s bank.
     */
    public static AudioCompressionConfig defaults() {
        return new AudioCompressionConfig(true, 6, 40, 4, 1, 3, true, 0, 0.05, 0.007, 0.52, 10, 7,
                new Budget.Rate(DEFAULT_TOKENS_PER_SECOND, FRAMES_PER_SECOND, DEFAULT_BANK_SECONDS), 30, 1);
    }

    /** No compression: every frame sends every token (the tokenizer alone). */
    public static AudioCompressionConfig none() {
        return new AudioCompressionConfig(false, 6, 40, 4, 1, 3, false, 0, 0, 0, 0, Double.POSITIVE_INFINITY, 15,
                new Budget.Unlimited(), 30, 1);
    }

    public AudioCompressionConfig withSilence(boolean value) {
        return new AudioCompressionConfig(value, silenceMarginDb, silenceDepthDb, hangoverFrames, floorRiseDbPerSecond,
                peakFallDbPerSecond, reuse, reuseGainSteps, reuseEnvelope, reuseShape, reuseRelative, quietDb, quietSlots, budget, importanceRangeDb,
                noveltyWeight);
    }

    public AudioCompressionConfig withReuse(boolean on, int gainSteps, double envelope, double shape, double relative) {
        return new AudioCompressionConfig(silence, silenceMarginDb, silenceDepthDb, hangoverFrames, floorRiseDbPerSecond,
                peakFallDbPerSecond, on, gainSteps, envelope, shape, relative, quietDb, quietSlots, budget,
                importanceRangeDb, noveltyWeight);
    }

    public AudioCompressionConfig withQuiet(double db, int slots) {
        return new AudioCompressionConfig(silence, silenceMarginDb, silenceDepthDb, hangoverFrames, floorRiseDbPerSecond,
                peakFallDbPerSecond, reuse, reuseGainSteps, reuseEnvelope, reuseShape, reuseRelative, db, slots, budget,
                importanceRangeDb, noveltyWeight);
    }

    public AudioCompressionConfig withBudget(Budget value) {
        return new AudioCompressionConfig(silence, silenceMarginDb, silenceDepthDb, hangoverFrames, floorRiseDbPerSecond,
                peakFallDbPerSecond, reuse, reuseGainSteps, reuseEnvelope, reuseShape, reuseRelative, quietDb, quietSlots, value, importanceRangeDb,
                noveltyWeight);
    }

    public AudioCompressionConfig withSilenceMarginDb(double value) {
        return new AudioCompressionConfig(silence, value, silenceDepthDb, hangoverFrames, floorRiseDbPerSecond,
                peakFallDbPerSecond, reuse, reuseGainSteps, reuseEnvelope, reuseShape, reuseRelative, quietDb, quietSlots, budget, importanceRangeDb,
                noveltyWeight);
    }

    public AudioCompressionConfig withHangoverFrames(int value) {
        return new AudioCompressionConfig(silence, silenceMarginDb, silenceDepthDb, value, floorRiseDbPerSecond,
                peakFallDbPerSecond, reuse, reuseGainSteps, reuseEnvelope, reuseShape, reuseRelative, quietDb, quietSlots, budget, importanceRangeDb,
                noveltyWeight);
    }

    /** Frames per second of the tokenizer (20 ms hop): the unit of a {@link Budget.Rate}. */
    public static final double FRAMES_PER_SECOND = 50;

    /**
     * A budget of {@code rate:T} (tokens per second, banking {@code bankSeconds}) or {@code unlimited}: the
     * shared {@link Budget} of {@link dev.weir.codec.compress} with frames as its unit.
     */
    public static Budget parseBudget(String text, double bankSeconds) {
        Budget budget = Budget.parse(text, FRAMES_PER_SECOND, bankSeconds);
        requireRateOrUnlimited(budget);
        return budget;
    }

    /** The audio pruner spends a token bank: a rate of at least the mandatory 100 tokens/s, or no limit. */
    private static void requireRateOrUnlimited(Budget budget) {
        switch (budget) {
            case Budget.Unlimited u -> { }
            case Budget.Rate r -> {
                if (!(r.tokensPerSecond() >= 100)) {
                    throw new IllegalArgumentException("tokens per second must be ≥ 100 (the gain and envelope tokens of 50 "
                            + "frames/s): " + r.tokensPerSecond());
                }
                if (r.unitsPerSecond() != FRAMES_PER_SECOND) {
                    throw new IllegalArgumentException("an audio rate counts 50 frames per second, not " + r.unitsPerSecond());
                }
            }
            default -> throw new IllegalArgumentException("audio budgets are rate:T or unlimited, not " + budget);
        }
    }
}
