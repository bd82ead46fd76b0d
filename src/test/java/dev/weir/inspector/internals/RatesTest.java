package dev.weir.inspector.internals;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class RatesTest {

    @Test
    void sharesAreOfPositionsAndRatesAreInStreamTime() {
        // given three frames of 12 patches (2 tokens each), 100 ms apart in stream time: a keyframe, then two deltas
        List<BatchFacts> window = List.of(
                BatchFacts.of(Batches.video("cam", 0, 1_000, 64, 48, true, range(12), List.of(), 0, 2_000_000)),
                BatchFacts.of(Batches.video("cam", 1, 1_100, 64, 48, false, List.of(0, 1), List.of(2, 3, 4, 5, 6, 7, 8, 9), 2, 1_000_000)),
                BatchFacts.of(Batches.video("cam", 2, 1_200, 64, 48, false, List.of(4), List.of(0, 1, 2, 3, 5, 6, 7, 8, 9, 10, 11), 0, 3_000_000)));

        // when the window's numbers are taken
        Rates r = Rates.of(window);

        // then tokens count positions × tokens per position, shares are of all positions, rates skip the earliest event
        assertEquals(3, r.events());
        assertEquals(72, r.tokensFull());
        assertEquals(2 * (12 + 2 + 1), r.tokensEmitted());
        assertEquals(30.0 / 72, r.ratio(), 1e-12);
        assertEquals(19.0 / 36, r.cacheHitShare(), 1e-12);
        assertEquals(2.0 / 36, r.prunedShare(), 1e-12);
        assertEquals(1, r.keyframes());
        assertEquals(2.0, r.encodeMs(), 1e-12);
        assertEquals(10.0, r.eventsPerSecond(), 1e-9);
        assertEquals(48 / 0.2, r.tokensFullPerSecond(), 1e-9);
        assertEquals(6 / 0.2, r.tokensEmittedPerSecond(), 1e-9);
    }

    @Test
    void ratesAreUndefinedForOneEventOrOneInstantAndNothingIsDefinedForNone() {
        BatchFacts one = BatchFacts.of(Batches.video("cam", 0, 1_000, 32, 32, true, range(4), List.of(), 0, 0));
        Rates single = Rates.of(List.of(one));
        Rates sameInstant = Rates.of(List.of(one, one));
        Rates none = Rates.of(List.of());

        assertNull(single.eventsPerSecond());
        assertNull(sameInstant.tokensEmittedPerSecond());
        assertEquals(1.0, single.ratio());
        assertNull(none.ratio());
        assertNull(none.cacheHitShare());
        assertNull(none.encodeMs());
        assertEquals(0, none.events());
    }

    static List<Integer> range(int n) {
        return java.util.stream.IntStream.range(0, n).boxed().toList();
    }
}
