package dev.weir.topology.internals;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link IdleStreamExpiry} on an in-memory store: which streams it removes, and how much one sweep does. */
class IdleStreamExpiryTest {

    static final String STATE_STORE = "codec";
    static final Duration TIMEOUT = Duration.ofHours(1);
    static final long T0 = 1_700_000_000_000L;

    final MockProcessorContext<Object, Object> context = new MockProcessorContext<>();
    final KeyValueStore<String, Long> lastSeen = lastSeenStore(context);
    final ProcessorMetrics metrics = new ProcessorMetrics(context.metrics(), "0_0", "test");
    final List<String> removed = new ArrayList<>();

    @AfterEach
    void close() {
        metrics.close();
        lastSeen.close();
    }

    @Test
    void aSweepChecksABoundedNumberOfStreamsAndTheNextResumesWhereItStopped() {
        // given five streams idle past the timeout and one active stream, and sweeps that check two streams each
        IdleStreamExpiry expiry = new IdleStreamExpiry(lastSeen, TIMEOUT, 2, removed::add, metrics);
        for (int n = 1; n <= 5; n++) {
            expiry.recordActivity("cam-" + n, T0);
        }
        long now = T0 + TIMEOUT.toMillis() + 1;
        expiry.recordActivity("cam-active", now);

        // when the store is swept four times at the same stream time
        List<Integer> perSweep = new ArrayList<>();
        for (int sweep = 0; sweep < 4; sweep++) {
            perSweep.add(expiry.sweep(now));
        }

        // then each sweep removes at most two streams, together they remove every idle one once, and the active one stays
        assertEquals(List.of(2, 2, 1, 0), perSweep);
        assertEquals(List.of("cam-1", "cam-2", "cam-3", "cam-4", "cam-5"), removed);
        assertEquals(now, lastSeen.get("cam-active"));
        assertEquals(1, lastSeen.approximateNumEntries());
        assertEquals(5.0, metric("streams-expired-total"));
        assertEquals(1.0, metric("streams-stored"));
    }

    @Test
    void aStreamIsIdleOnlyWhenItsLastRecordIsMoreThanTheTimeoutAgo() {
        // given a stream last active at T0
        IdleStreamExpiry expiry = new IdleStreamExpiry(lastSeen, TIMEOUT, 100, removed::add, metrics);
        expiry.recordActivity("cam-1", T0);

        // when its records arrive exactly at the timeout, then just after it
        boolean atTimeout = expiry.expireIfIdle("cam-1", T0 + TIMEOUT.toMillis());
        boolean afterTimeout = expiry.expireIfIdle("cam-1", T0 + TIMEOUT.toMillis() + 1);

        // then only the later one finds it idle, and its state and last activity are gone
        assertFalse(atTimeout);
        assertTrue(afterTimeout);
        assertEquals(List.of("cam-1"), removed);
        assertNull(lastSeen.get("cam-1"));
        assertFalse(expiry.expireIfIdle("cam-1", T0 + 10 * TIMEOUT.toMillis()), "a stream without state is not expired again");
        assertEquals(1.0, metric("streams-expired-total"));
    }

    @Test
    void anOutOfOrderRecordDoesNotMoveTheLastActivityBack() {
        IdleStreamExpiry expiry = new IdleStreamExpiry(lastSeen, TIMEOUT, 100, removed::add, metrics);

        expiry.recordActivity("cam-1", T0 + 5_000);
        expiry.recordActivity("cam-1", T0);

        assertEquals(T0 + 5_000, lastSeen.get("cam-1"));
    }

    @Test
    void aZeroTimeoutRecordsActivityButNeverExpiresNorSchedulesASweep() {
        // given expiry with the timeout off
        context.addStateStore(lastSeen);
        IdleStreamExpiry expiry = IdleStreamExpiry.start(context, STATE_STORE, Duration.ZERO, removed::add, metrics);

        // when a stream returns after a very long time
        expiry.recordActivity("cam-1", T0);
        boolean expired = expiry.expireIfIdle("cam-1", T0 + Duration.ofDays(3650).toMillis());

        // then nothing is removed, no sweep is scheduled, and the activity is still recorded for a timeout set later
        assertFalse(expired);
        assertTrue(removed.isEmpty());
        assertTrue(context.scheduledPunctuators().isEmpty());
        assertEquals(T0, lastSeen.get("cam-1"));
    }

    @Test
    void theSweepRunsOnStreamTimeEveryQuarterOfTheTimeoutAndAtLeastEveryMinute() {
        context.addStateStore(lastSeen);

        IdleStreamExpiry.start(context, STATE_STORE, Duration.ofMinutes(2), removed::add, metrics);

        MockProcessorContext.CapturedPunctuator sweep = context.scheduledPunctuators().getFirst();
        assertEquals(PunctuationType.STREAM_TIME, sweep.getType());
        assertEquals(Duration.ofSeconds(30), sweep.getInterval());
        assertEquals(Duration.ofMinutes(1), IdleStreamExpiry.sweepInterval(Duration.ofHours(24)));
        assertEquals(Duration.ofMillis(1), IdleStreamExpiry.sweepInterval(Duration.ofMillis(3)));
    }

    @Test
    void theSweepScheduledOnTheContextRemovesIdleStreams() {
        // given expiry started on a context, and a stream last active at T0
        context.addStateStore(lastSeen);
        IdleStreamExpiry expiry = IdleStreamExpiry.start(context, STATE_STORE, TIMEOUT, removed::add, metrics);
        expiry.recordActivity("cam-1", T0);

        // when stream time passes the timeout and the scheduled punctuation fires
        context.scheduledPunctuators().getFirst().getPunctuator().punctuate(T0 + TIMEOUT.toMillis() + 1);

        // then the stream is removed
        assertEquals(List.of("cam-1"), removed);
    }

    @Test
    void aNegativeTimeoutIsRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> new IdleStreamExpiry(lastSeen, Duration.ofMillis(-1), 100, removed::add, metrics));
    }

    private double metric(String name) {
        return context.metrics().metrics().entrySet().stream()
                .filter(e -> e.getKey().group().equals(ProcessorMetrics.GROUP) && e.getKey().name().equals(name))
                .mapToDouble(e -> ((Number) e.getValue().metricValue()).doubleValue())
                .sum();
    }

    private static KeyValueStore<String, Long> lastSeenStore(MockProcessorContext<Object, Object> context) {
        KeyValueStore<String, Long> store = Stores.keyValueStoreBuilder(
                        Stores.inMemoryKeyValueStore(IdleStreamExpiry.lastSeenStoreName(STATE_STORE)), Serdes.String(), Serdes.Long())
                .withLoggingDisabled()
                .build();
        store.init(context.getStateStoreContext(), store);
        return store;
    }
}
