package dev.weir.codec.video;

import java.util.Objects;

/**
 * How a {@link VideoEncoder} compresses a stream (after STC, "Accelerating Streaming Video Large
 * Language Models via Hierarchical Token Compression"): a closed-loop cacher that reuses the tokens of
 * patches that did not change, periodic and scene-change keyframes, and a dual-anchor novelty pruner
 * under a token budget. See docs/compression.md for what each knob does to rate and fidelity.
 *
 * @param cache              which patches are re-encoded; the others reuse their cached token
 * @param keyframeInterval   a keyframe (every patch re-encoded and sent) at least every this many frames;
 *                           0 = only the first frame and scene changes
 * @param sceneChangeShare   a keyframe when at least this share of the patches changed, (0, 1]; above 1
 *                           disables scene-change keyframes
 * @param budget             how many tokens a non-keyframe may carry
 * @param alpha              weight of the temporal anchor in the novelty score, 0..1 (STC uses 0.5)
 */
public record CompressionConfig(Cache cache, int keyframeInterval, double sceneChangeShare, Budget budget,
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
        if (keyframeInterval < 0) {
            throw new IllegalArgumentException("keyframeInterval must be ≥ 0 (0 = no periodic keyframes): " + keyframeInterval);
        }
        if (!(sceneChangeShare > 0)) {
            throw new IllegalArgumentException("sceneChangeShare must be > 0 (above 1 disables): " + sceneChangeShare);
        }
        if (!(alpha >= 0 && alpha <= 1)) {
            throw new IllegalArgumentException("alpha must be in [0, 1]: " + alpha);
        }
    }

    /** The tuned defaults: threshold cacher, keyframe every 90 frames or at a scene change, 15% budget, α 0.5. */
    public static CompressionConfig defaults() {
        return new CompressionConfig(new Cache.Threshold(DEFAULT_THRESHOLD), DEFAULT_KEYFRAME_INTERVAL,
                DEFAULT_SCENE_CHANGE_SHARE, new Budget.Ratio(DEFAULT_BUDGET_RATIO), DEFAULT_ALPHA);
    }

    /** No compression: every packet is a keyframe carrying every patch (the tokenizer alone). */
    public static CompressionConfig none() {
        return new CompressionConfig(new Cache.Off(), 1, 2.0, new Budget.Unlimited(), DEFAULT_ALPHA);
    }

    public CompressionConfig withCache(Cache value) {
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

    /** Which patches of a non-keyframe are re-encoded; the rest reuse their cached tokens. */
    public sealed interface Cache {

        /**
         * Re-encode a patch when its squared error against the decoder's picture grew by more than
         * {@code mse} per sample since its tokens were last sent (closed loop, see docs/compression.md).
         */
        record Threshold(double mse) implements Cache {
            public Threshold {
                if (!(mse >= 0) || Double.isInfinite(mse)) {
                    throw new IllegalArgumentException("change threshold must be a finite MSE ≥ 0: " + mse);
                }
            }
        }

        /** STC's fixed update ratio: re-encode the {@code ratio} share of patches that changed most. */
        record UpdateRatio(double ratio) implements Cache {
            public UpdateRatio {
                if (!(ratio > 0 && ratio <= 1)) {
                    throw new IllegalArgumentException("update ratio must be in (0, 1]: " + ratio);
                }
            }
        }

        /** No cache: every patch is a candidate every frame (the pruner alone decides). */
        record Off() implements Cache {
        }

        /** Parses {@code threshold:MSE}, {@code update-ratio:R} or {@code off}. */
        static Cache parse(String text) {
            String mode = modeOf(text);
            String value = valueOf(text);
            return switch (mode) {
                case "threshold" -> new Threshold(number(text, value));
                case "update-ratio" -> new UpdateRatio(number(text, value));
                case "off" -> new Off();
                default -> throw new IllegalArgumentException("cache must be threshold:MSE, update-ratio:R or off, not " + text);
            };
        }
    }

    /**
     * How many tokens a non-keyframe may carry. A packet is cut on whole patches (1 + residual stages
     * tokens each). Keyframes carry every patch: {@link PerFrame} and {@link Ratio} exempt them, {@link Rate}
     * charges them to its bank.
     */
    public sealed interface Budget {

        /** No limit. */
        record Unlimited() implements Budget {
        }

        /**
         * Parses {@code ratio:R}, {@code tokens:N}, {@code rate:T} (tokens per second at {@code fps}, banking up to
         * {@code bankSeconds}) or {@code unlimited}.
         */
        static Budget parse(String text, double fps, double bankSeconds) {
            String mode = modeOf(text);
            String value = valueOf(text);
            return switch (mode) {
                case "unlimited" -> new Unlimited();
                case "ratio" -> new Ratio(number(text, value));
                case "tokens" -> new PerFrame((int) number(text, value));
                case "rate" -> new Rate(number(text, value), fps, bankSeconds);
                default -> throw new IllegalArgumentException("budget must be ratio:R, tokens:N, rate:T or unlimited, not " + text);
            };
        }

        /** At most {@code tokens} tokens per non-keyframe. */
        record PerFrame(int tokens) implements Budget {
            public PerFrame {
                if (tokens < 0) {
                    throw new IllegalArgumentException("tokens per frame must be ≥ 0: " + tokens);
                }
            }
        }

        /** At most {@code ratio} of the frame's tokens per non-keyframe. */
        record Ratio(double ratio) implements Budget {
            public Ratio {
                if (!(ratio >= 0 && ratio <= 1)) {
                    throw new IllegalArgumentException("budget ratio must be in [0, 1]: " + ratio);
                }
            }
        }

        /**
         * A token bucket: {@code tokensPerSecond / fps} tokens are added per frame, unused tokens are
         * banked up to {@code bankSeconds} seconds of rate (never less than one keyframe), and every packet,
         * keyframes included, spends from the bank. So over any run of m frames at most
         * {@code bank + m · tokensPerSecond / fps} tokens are emitted. Keyframes wait until the bank holds
         * one (the first frame of a stream starts with a full bank).
         */
        record Rate(double tokensPerSecond, double fps, double bankSeconds) implements Budget {
            public Rate {
                if (!(tokensPerSecond >= 0) || Double.isInfinite(tokensPerSecond)) {
                    throw new IllegalArgumentException("tokens per second must be finite and ≥ 0: " + tokensPerSecond);
                }
                if (!(fps > 0) || Double.isInfinite(fps)) {
                    throw new IllegalArgumentException("fps must be finite and > 0: " + fps);
                }
                if (!(bankSeconds >= 0) || Double.isInfinite(bankSeconds)) {
                    throw new IllegalArgumentException("bankSeconds must be finite and ≥ 0: " + bankSeconds);
                }
            }
        }
    }

    private static String modeOf(String text) {
        int colon = text.indexOf(':');
        return (colon < 0 ? text : text.substring(0, colon)).trim();
    }

    private static String valueOf(String text) {
        int colon = text.indexOf(':');
        return colon < 0 ? "" : text.substring(colon + 1).trim();
    }

    private static double number(String text, String value) {
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(text + ": '" + value + "' is not a number", e);
        }
    }
}
