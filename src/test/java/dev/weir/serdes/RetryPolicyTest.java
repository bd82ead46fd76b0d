package dev.weir.serdes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import dev.weir.serdes.internals.RetryPolicy;

class RetryPolicyTest {

    private final RetryPolicy policy = new RetryPolicy(5, Duration.ofMillis(100), Duration.ofMillis(1_000));

    @Test
    void backoffDoublesFromTheInitialWaitUpToTheCapWithJitterInTheUpperHalf() {
        // exponential steps b(n) = min(1000, 100 * 2^n): 100, 200, 400, 800, 1000, 1000 ms
        long[] steps = {100, 200, 400, 800, 1_000, 1_000};
        SplittableRandom random = new SplittableRandom(42);
        for (int retry = 0; retry < steps.length; retry++) {
            for (int sample = 0; sample < 200; sample++) {
                long wait = policy.backoff(retry, random).toMillis();
                assertTrue(wait >= steps[retry] / 2 && wait <= steps[retry],
                        "retry " + retry + ": " + wait + " ms outside [" + steps[retry] / 2 + ", " + steps[retry] + "]");
            }
        }
    }

    @Test
    void jitterSpreadsConcurrentClients() {
        SplittableRandom random = new SplittableRandom(7);
        Set<Long> waits = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            waits.add(policy.backoff(3, random).toMillis());
        }
        assertTrue(waits.size() > 10, "50 draws gave only " + waits.size() + " distinct waits");
    }

    @Test
    void veryLateRetriesStayAtTheCapWithoutOverflow() {
        SplittableRandom random = new SplittableRandom(1);
        for (int retry : new int[] {31, 32, 62, 63, 1_000}) {
            long wait = policy.backoff(retry, random).toMillis();
            assertTrue(wait >= 500 && wait <= 1_000, "retry " + retry + ": " + wait);
        }
    }

    @Test
    void onlyServerErrorsAndTooManyRequestsAreRetriable() {
        for (int status : new int[] {429, 500, 502, 503, 504}) {
            assertTrue(RetryPolicy.isRetriable(status), "HTTP " + status);
        }
        for (int status : new int[] {200, 400, 401, 403, 404, 409, 422}) {
            assertFalse(RetryPolicy.isRetriable(status), "HTTP " + status);
        }
    }

    @Test
    void zeroWaitMeansImmediateRetries() {
        RetryPolicy immediate = new RetryPolicy(2, Duration.ZERO, Duration.ZERO);
        assertEquals(Duration.ZERO, immediate.backoff(0, new SplittableRandom(3)));
    }
}
