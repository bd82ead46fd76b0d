package dev.weir.codec.compress;

/**
 * How many tokens a unit (a frame, an audio chunk, a message) may carry, after STC's token budget. A unit is
 * cut on whole positions. Keyframes carry every position: {@link PerUnit} and {@link Ratio} exempt them,
 * {@link Rate} charges them to its bank ({@link BudgetMeter}).
 */
public sealed interface Budget {

    /** No limit. */
    record Unlimited() implements Budget {
    }

    /** At most {@code tokens} tokens per non-keyframe unit. */
    record PerUnit(int tokens) implements Budget {
        public PerUnit {
            if (tokens < 0) {
                throw new IllegalArgumentException("tokens per unit must be ≥ 0: " + tokens);
            }
        }
    }

    /** At most {@code ratio} of the unit's tokens per non-keyframe unit. */
    record Ratio(double ratio) implements Budget {
        public Ratio {
            if (!(ratio >= 0 && ratio <= 1)) {
                throw new IllegalArgumentException("budget ratio must be in [0, 1]: " + ratio);
            }
        }
    }

    /**
     * A token bucket: {@code tokensPerSecond / unitsPerSecond} tokens are added per unit, unused tokens are
     * banked up to {@code bankSeconds} seconds of rate (never less than one keyframe), and every unit,
     * keyframes included, spends from the bank. So over any run of m units at most
     * {@code bank + m · tokensPerSecond / unitsPerSecond} tokens are emitted. Keyframes wait until the bank
     * holds one (a stream starts with a full bank).
     */
    record Rate(double tokensPerSecond, double unitsPerSecond, double bankSeconds) implements Budget {
        public Rate {
            if (!(tokensPerSecond >= 0) || Double.isInfinite(tokensPerSecond)) {
                throw new IllegalArgumentException("tokens per second must be finite and ≥ 0: " + tokensPerSecond);
            }
            if (!(unitsPerSecond > 0) || Double.isInfinite(unitsPerSecond)) {
                throw new IllegalArgumentException("units per second must be finite and > 0: " + unitsPerSecond);
            }
            if (!(bankSeconds >= 0) || Double.isInfinite(bankSeconds)) {
                throw new IllegalArgumentException("bankSeconds must be finite and ≥ 0: " + bankSeconds);
            }
        }
    }

    /**
     * Parses {@code ratio:R}, {@code tokens:N}, {@code rate:T} (tokens per second at {@code unitsPerSecond},
     * banking up to {@code bankSeconds}) or {@code unlimited}.
     */
    static Budget parse(String text, double unitsPerSecond, double bankSeconds) {
        Setting setting = Setting.parse(text);
        return switch (setting.mode()) {
            case "unlimited" -> new Unlimited();
            case "ratio" -> new Ratio(setting.number());
            case "tokens" -> new PerUnit((int) setting.number());
            case "rate" -> new Rate(setting.number(), unitsPerSecond, bankSeconds);
            default -> throw new IllegalArgumentException("budget must be ratio:R, tokens:N, rate:T or unlimited, not " + text);
        };
    }
}
