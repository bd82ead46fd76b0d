package dev.weir.inspector.internals;

import java.util.Collection;

/**
 * The compressor's numbers over a window of batches: sums, shares and rates. Rates are in <b>stream time</b> (the
 * events' own timestamps), so a replayed or caught-up stream shows the rate it was recorded at, not how fast the
 * inspector read it: events/s = (n − 1) / (last − first timestamp), tokens/s likewise over every event but the
 * earliest. A rate is null when it is not defined (fewer than two events, or all at one instant).
 *
 * @param events            batches in the window
 * @param tokensFull        tokens a full tokenization would have emitted
 * @param tokensEmitted     tokens emitted
 * @param positions         positions of the units
 * @param reused            positions served from the cache
 * @param pruned            changed positions pruned
 * @param keyframes         keyframe batches
 * @param ratio             emitted / full (null when full is 0)
 * @param cacheHitShare     reused / positions
 * @param prunedShare       pruned / positions
 * @param encodeMs          mean encode time per event, ms
 * @param eventsPerSecond   events per second of stream time
 * @param tokensFullPerSecond    full tokens per second of stream time
 * @param tokensEmittedPerSecond emitted tokens per second of stream time
 */
public record Rates(long events, long tokensFull, long tokensEmitted, long positions, long reused, long pruned, long keyframes,
                    Double ratio, Double cacheHitShare, Double prunedShare, Double encodeMs,
                    Double eventsPerSecond, Double tokensFullPerSecond, Double tokensEmittedPerSecond) {

    public static Rates of(Collection<BatchFacts> window) {
        long full = 0, emitted = 0, positions = 0, reused = 0, pruned = 0, keyframes = 0, nanos = 0;
        BatchFacts earliest = null;
        long last = Long.MIN_VALUE;
        for (BatchFacts b : window) {
            full += b.tokensFull();
            emitted += b.tokensEmitted();
            positions += b.positions();
            reused += b.reused();
            pruned += b.pruned();
            keyframes += b.keyframe() ? 1 : 0;
            nanos += b.encodeNanos();
            if (earliest == null || b.timestamp() < earliest.timestamp()) {
                earliest = b;
            }
            last = Math.max(last, b.timestamp());
        }
        int n = window.size();
        Double eventsPerSecond = null, fullPerSecond = null, emittedPerSecond = null;
        if (n >= 2 && last > earliest.timestamp()) {
            double seconds = (last - earliest.timestamp()) / 1000.0;
            eventsPerSecond = (n - 1) / seconds;
            fullPerSecond = (full - earliest.tokensFull()) / seconds;
            emittedPerSecond = (emitted - earliest.tokensEmitted()) / seconds;
        }
        return new Rates(n, full, emitted, positions, reused, pruned, keyframes, share(emitted, full), share(reused, positions),
                share(pruned, positions), n == 0 ? null : nanos / 1e6 / n, eventsPerSecond, fullPerSecond, emittedPerSecond);
    }

    private static Double share(long part, long whole) {
        return whole == 0 ? null : (double) part / whole;
    }
}
