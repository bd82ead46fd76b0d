package dev.weir.codec.compress;

import java.util.Arrays;

/**
 * The cacher (after STC-Cacher): which positions of a unit changed enough since the decoder last saw them
 * to be re-encoded and re-sent; the others reuse their cached tokens. The change of position i is the
 * growth of its error against the decoder's picture since its tokens were sent,
 * {@code error_i − errorAtSend_i}, per sample of the position ({@code samples_i}): the plain error against
 * the decoder's picture cannot tell change from the codebook's own quantization error (docs/compression.md).
 */
public sealed interface Cacher {

    /**
     * The positions whose change exceeds this cacher's criterion, ascending.
     *
     * @param error       each position's error against the decoder's picture now
     * @param errorAtSend each position's error when its tokens were last sent
     * @param samples     each position's sample count (edge patches are smaller)
     */
    int[] changed(long[] error, int[] errorAtSend, int[] samples);

    /** Re-encode a position when its error grew by more than {@code mse} per sample since it was sent. */
    record Threshold(double mse) implements Cacher {
        public Threshold {
            if (!(mse >= 0) || Double.isInfinite(mse)) {
                throw new IllegalArgumentException("change threshold must be a finite MSE ≥ 0: " + mse);
            }
        }

        @Override
        public int[] changed(long[] error, int[] errorAtSend, int[] samples) {
            int n = samples.length;
            int[] out = new int[n];
            int count = 0;
            for (int i = 0; i < n; i++) {
                if (error[i] - errorAtSend[i] > mse * samples[i]) {
                    out[count++] = i;
                }
            }
            return Arrays.copyOf(out, count);
        }
    }

    /** STC's fixed update ratio: re-encode the {@code ratio} share of positions whose error grew most per sample. */
    record UpdateRatio(double ratio) implements Cacher {
        /** Slack for share × n in double, so 0.29 × 100 counts as 29. */
        private static final double ROUNDING = 1e-9;

        public UpdateRatio {
            if (!(ratio > 0 && ratio <= 1)) {
                throw new IllegalArgumentException("update ratio must be in (0, 1]: " + ratio);
            }
        }

        @Override
        public int[] changed(long[] error, int[] errorAtSend, int[] samples) {
            int n = samples.length;
            long[] growth = new long[n];
            Integer[] order = new Integer[n];
            for (int i = 0; i < n; i++) {
                growth[i] = error[i] - errorAtSend[i];
                order[i] = i;
            }
            // most growth per sample first (exact: cross-multiplied), ties to the lower position
            Arrays.sort(order, (a, b) -> {
                int c = Long.compare(growth[b] * samples[a], growth[a] * samples[b]);
                return c != 0 ? c : Integer.compare(a, b);
            });
            int count = (int) Math.min(n, Math.ceil(ratio * n - ROUNDING));
            int[] out = new int[count];
            for (int r = 0; r < count; r++) {
                out[r] = order[r];
            }
            Arrays.sort(out);
            return out;
        }
    }

    /** No cache: every position is a candidate in every unit (the pruner alone decides). */
    record Off() implements Cacher {
        @Override
        public int[] changed(long[] error, int[] errorAtSend, int[] samples) {
            int[] all = new int[samples.length];
            Arrays.setAll(all, i -> i);
            return all;
        }
    }

    /** Whether this cacher compares each position with the decoder's picture (all but {@link Off}). */
    default boolean measuresChange() {
        return !(this instanceof Off);
    }

    /**
     * Whether the share of changed positions can signal a scene change: only a {@link Threshold}'s (an
     * {@link UpdateRatio} always picks the same share).
     */
    default boolean detectsSceneChanges() {
        return this instanceof Threshold;
    }

    /** Parses {@code threshold:MSE}, {@code update-ratio:R} or {@code off}. */
    static Cacher parse(String text) {
        Setting setting = Setting.parse(text);
        return switch (setting.mode()) {
            case "threshold" -> new Threshold(setting.number());
            case "update-ratio" -> new UpdateRatio(setting.number());
            case "off" -> new Off();
            default -> throw new IllegalArgumentException("cache must be threshold:MSE, update-ratio:R or off, not " + text);
        };
    }
}
