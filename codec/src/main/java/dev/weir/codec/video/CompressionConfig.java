package dev.weir.codec.video;

import dev.weir.codec.compress.Budget;
import dev.weir.codec.compress.Cacher;
import dev.weir.codec.compress.KeyframePolicy;

import java.util.Objects;

/**
 * How a {@link VideoEncoder} compresses a stream (after STC, "Accelerating Streaming Video Large
 * Language Models via Hierarchical Token Compression"): a closed-loop cacher that reuses the tokens of
 * patches that did not change, periodic and scene-change keyframes, and a dual-anchor novelty pruner
 * under a token budget. See docs/compression.md for what each knob does to rate and fidelity.
 *
 * @param cache              the cacher: which patches are re-encoded; the others reuse their cached token
 * @param keyframeInterval   a keyframe (every patch re-encoded and sent) at least every this many frames;
 *                           0 = only the first frame and scene changes
 * @param sceneChangeShare   a keyframe when at least this share of the patches changed, (0, 1]; above 1
 *                           disables scene-change keyframes
 * @param budget             how many tokens a non-keyframe may carry (a frame is the budget's unit)
 * @param alpha              weight of the temporal anchor in the novelty score, 0..1 (STC uses 0.5)
 */
public record CompressionConfig(Cacher cache, int keyframeInterval, double sceneChangeShare, Budget budget,
                                double alpha) {

    /** Default change threshold: mean squared error increase per sample (see docs/compression.md). */
    public static final double DEFAULT_THRESHOLD = 24.0;
    /** Default keyframe interval in frames. */
    public static final int DEFAULT_KEYFRAME_INTERVAL = 90;
    /** Default scene-change share. */
    public static final double DEFAULT_SCENE_CHANGE_SHARE = 0.5;
    /** Default share of the patches a non-keyframe may carry. */
    public static final double DEFAULT_BUDGET_RATIO = 0.15;
    /** Default novelty weight of the temporal anchor (STC's α). */
    public static final double DEFAULT_ALPHA = 0.5;

    public CompressionConfig {
        Objects.requireNonNull(cache, "cache");
        Objects.requireNonNull(budget, "budget");
        new KeyframePolicy(keyframeInterval, sceneChangeShare); // validates
        if (!(alpha >= 0 && alpha <= 1)) {
            throw new IllegalArgumentException("alpha must be in [0, 1]: " + alpha);
        }
    }

    /** The tuned defaults: threshold cacher, keyframe every 90 frames or at a scene change, 15% budget, α 0.5. */
    public static CompressionConfig defaults() {
        return new CompressionConfig(new Cacher.Threshold(DEFAULT_THRESHOLD), DEFAULT_KEYFRAME_INTERVAL,
                DEFAULT_SCENE_CHANGE_SHARE, new Budget.Ratio(DEFAULT_BUDGET_RATIO), DEFAULT_ALPHA);
    }

    /** No compression: every packet is a keyframe carrying every patch (the tokenizer alone). */
    public static CompressionConfig none() {
        return new CompressionConfig(new Cacher.Off(), 1, 2.0, new Budget.Unlimited(), DEFAULT_ALPHA);
    }

    /** When frames are keyframes. */
    public KeyframePolicy keyframes() {
        return new KeyframePolicy(keyframeInterval, sceneChangeShare);
    }

    public CompressionConfig withCache(Cacher value) {
        return new CompressionConfig(value, keyframeInterval, sceneChangeShare, budget, alpha);
    }

    public CompressionConfig withKeyframeInterval(int value) {
        return new CompressionConfig(cache, value, sceneChangeShare, budget, alpha);
    }

    public CompressionConfig withSceneChangeShare(double value) {
        return new CompressionConfig(cache, keyframeInterval, value, budget, alpha);
    }

    public CompressionConfig withBudget(Budget value) {
        return new CompressionConfig(cache, keyframeInterval, sceneChangeShare, value, alpha);
    }

    public CompressionConfig withAlpha(double value) {
        return new CompressionConfig(cache, keyframeInterval, sceneChangeShare, budget, value);
    }
}
