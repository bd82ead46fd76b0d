package dev.weir.cli;

import java.util.Arrays;

/**
 * Latency percentiles of one run, in milliseconds (nearest-rank: the smallest value with at least p% of the
 * values at or below it).
 */
record Percentiles(int count, double p50Ms, double p99Ms, double maxMs) {

    static Percentiles of(double[] valuesMs) {
        if (valuesMs.length == 0) {
            throw new IllegalArgumentException("no latencies measured");
        }
        double[] sorted = valuesMs.clone();
        Arrays.sort(sorted);
        return new Percentiles(sorted.length, rank(sorted, 50), rank(sorted, 99), sorted[sorted.length - 1]);
    }

    private static double rank(double[] sorted, double percent) {
        int rank = (int) Math.ceil(percent / 100 * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }
}
