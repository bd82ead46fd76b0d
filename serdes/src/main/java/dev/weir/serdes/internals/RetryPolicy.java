package dev.weir.serdes.internals;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Bounded retries with exponential backoff and jitter ("equal jitter": half the exponential step plus a uniform
 * random part of the other half, so concurrent clients spread out but never retry immediately).
 *
 * <p>backoff(n) = b/2 + U[0, b/2], with b = min(maxWait, initialWait * 2^n), for retry n = 0, 1, ...
 *
 * @param maxRetries  retries after the first attempt (so at most maxRetries + 1 requests)
 * @param initialWait backoff base before the first retry
 * @param maxWait     cap of the exponential step
 */
public record RetryPolicy(int maxRetries, Duration initialWait, Duration maxWait) {

    public RetryPolicy {
        if (maxRetries < 0) {
            throw new IllegalArgumentException("maxRetries must be >= 0, got " + maxRetries);
        }
        if (initialWait.isNegative() || maxWait.isNegative()) {
            throw new IllegalArgumentException("backoff durations must not be negative");
        }
    }

    /** Whether an HTTP status is worth retrying: server errors and 429 Too Many Requests, never other 4xx. */
    public static boolean isRetriable(int status) {
        return status >= 500 || status == 429;
    }

    /** The wait before retry number {@code retry} (0-based). */
    public Duration backoff(int retry, RandomGenerator random) {
        long initial = initialWait.toMillis();
        long cap = maxWait.toMillis();
        long step = retry >= 62 || initial > (cap >> Math.min(retry, 62)) ? cap : Math.min(cap, initial << retry);
        long half = step / 2;
        return Duration.ofMillis(half + random.nextLong(step - half + 1));
    }
}
