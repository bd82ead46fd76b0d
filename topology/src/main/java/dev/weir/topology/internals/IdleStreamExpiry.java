package dev.weir.topology.internals;

import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Deletes the state of streams that stopped sending: remembers each stream's last activity in a
 * changelogged store ({@link #lastSeenStoreName}) and removes a stream, through a callback, once it
 * has been idle for longer than the timeout.
 *
 * <p><b>Time is record time.</b> A stream's last activity is the largest record timestamp it was
 * processed at, and "now" is the task's stream time, as for the retention of a windowed store. Both
 * come from the records, so the decision is the same when a task replays its input after a failure
 * under exactly-once, and the tokenizer and the decoder, which run in different tasks but see the same
 * record timestamps, judge idleness on the same clock (the decoder with twice the timeout, so that the
 * tokenizer restarts a stream with a keyframe before the decoder forgets it). A stream that stops does not advance its own
 * stream time, so a {@link PunctuationType#STREAM_TIME} punctuation, driven by the task's other streams,
 * sweeps the store. When a whole task goes quiet, its stream time stops and nothing expires until a
 * record arrives again; no new stream arrives in that time either, so its state stays bounded. Wall-clock
 * time is not offered: it would expire streams during a pause or a catch-up that their records do not
 * show, and differently on each replay. A record timestamped far in the future advances stream time and
 * expires the other streams, as it would close windows.
 *
 * <p><b>Bounded work.</b> The sweep runs every {@code min(timeout / 4, 1 min)} of stream time, checks at most
 * {@value #CHECKS_PER_SWEEP} streams of the store and resumes after the last one next time, so a store of
 * {@code N} streams is swept in {@code N / }{@value #CHECKS_PER_SWEEP} sweeps without holding up processing.
 * A stream is therefore removed between the timeout and the timeout plus one pass over the store.
 *
 * <p><b>A stream that returns</b> after being idle longer than the timeout starts afresh whether or not a
 * sweep has removed it yet ({@link #expireIfIdle}), so the tokenizer's next batch for it is a keyframe.
 *
 * <p>A timeout of zero never expires a stream, but activity is still recorded, so the timeout can be
 * turned on later. Streams whose state was stored before last activity was recorded have none: they
 * are tracked from their next record, and one that never returns keeps its state.
 */
public final class IdleStreamExpiry {

    private static final Logger log = LoggerFactory.getLogger(IdleStreamExpiry.class);

    /** Most streams one sweep checks. */
    static final int CHECKS_PER_SWEEP = 1_000;
    /** Longest stream-time interval between two sweeps. */
    static final Duration MAX_SWEEP_INTERVAL = Duration.ofMinutes(1);

    private final KeyValueStore<String, Long> lastSeen;
    private final long timeoutMs;
    private final int checksPerSweep;
    private final Consumer<String> removeState;
    private final Sensor expired;
    private final Sensor stored;
    /** The first stream the next sweep checks; null: from the start of the store. */
    private String resumeFrom;
    /** Streams kept so far in the current pass over the store. */
    private long keptThisPass;

    IdleStreamExpiry(KeyValueStore<String, Long> lastSeen, Duration timeout, int checksPerSweep,
                     Consumer<String> removeState, ProcessorMetrics metrics) {
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("idle timeout must not be negative: " + timeout);
        }
        this.lastSeen = lastSeen;
        this.timeoutMs = timeout.toMillis();
        this.checksPerSweep = checksPerSweep;
        this.removeState = removeState;
        this.expired = metrics.sum("streams-expired", "streams whose state was deleted after the idle timeout");
        // a level that only the sweep counts, so there is none without a sweep
        this.stored = timeoutMs > 0 ? metrics.value("streams-stored", "streams whose state the task keeps, counted by the last complete sweep of the store") : null;
    }

    /**
     * Expiry for one processor: reads the {@link #lastSeenStoreName last-seen store} of {@code stateStore},
     * removes an idle stream's state with {@code removeState}, counts in {@code metrics}, and schedules the
     * sweep on {@code context} unless {@code timeout} is zero.
     */
    public static IdleStreamExpiry start(ProcessorContext<?, ?> context, String stateStore, Duration timeout,
                                         Consumer<String> removeState, ProcessorMetrics metrics) {
        IdleStreamExpiry expiry = new IdleStreamExpiry(context.getStateStore(lastSeenStoreName(stateStore)), timeout,
                CHECKS_PER_SWEEP, removeState, metrics);
        if (expiry.timeoutMs > 0) {
            context.schedule(sweepInterval(timeout), PunctuationType.STREAM_TIME, expiry::sweep);
        }
        return expiry;
    }

    /** The store of each stream's last activity, beside the per-stream {@code stateStore}. */
    public static String lastSeenStoreName(String stateStore) {
        return stateStore + "-last-seen";
    }

    /** How often, in stream time, the store is swept: {@code min(timeout / 4, 1 min)}, at least 1 ms. */
    static Duration sweepInterval(Duration timeout) {
        return Duration.ofMillis(Math.max(1, Math.min(timeout.toMillis() / 4, MAX_SWEEP_INTERVAL.toMillis())));
    }

    /**
     * Before a stream's record at {@code timestamp} is processed: if the stream was last active longer
     * than the timeout before it, its state is removed (and counted) so that it starts afresh.
     *
     * @return whether the stream's state was removed
     */
    public boolean expireIfIdle(String streamId, long timestamp) {
        Long last = lastSeen.get(streamId);
        if (last == null || !isIdle(last, timestamp)) {
            return false;
        }
        log.info("stream {} returns after {} ms idle, longer than the timeout of {} ms: it starts afresh",
                streamId, timestamp - last, timeoutMs);
        expire(streamId);
        return true;
    }

    /** After a stream's record at {@code timestamp} updated its state: the stream was active then. */
    public void recordActivity(String streamId, long timestamp) {
        Long last = lastSeen.get(streamId);
        // the largest timestamp: an out-of-order record does not make a stream look idle for longer
        if (last == null || timestamp > last) {
            lastSeen.put(streamId, timestamp);
        }
    }

    /**
     * Removes the streams idle at {@code streamTime}, checking at most the configured number of streams
     * from where the last sweep stopped.
     *
     * @return how many streams were removed
     */
    int sweep(long streamTime) {
        List<String> idle = new ArrayList<>();
        int checked = 0;
        try (KeyValueIterator<String, Long> streams = lastSeen.range(resumeFrom, null)) {
            for (; checked < checksPerSweep && streams.hasNext(); checked++) {
                KeyValue<String, Long> stream = streams.next();
                if (isIdle(stream.value, streamTime)) {
                    idle.add(stream.key);
                }
            }
            resumeFrom = streams.hasNext() ? streams.peekNextKey() : null;
        }
        keptThisPass += checked - idle.size();
        // deleted after the iterator is closed: a store need not support deletes under an open iterator
        idle.forEach(this::expire);
        if (!idle.isEmpty()) {
            log.info("deleted the state of {} stream(s) idle for longer than {} ms at stream time {}", idle.size(), timeoutMs, streamTime);
        }
        if (resumeFrom == null) {
            // a pass over the store is complete: its count is exact when no stream arrived behind the cursor
            if (stored != null) {
                stored.record(keptThisPass);
            }
            keptThisPass = 0;
        }
        return idle.size();
    }

    // idle: now - last > timeout (ms); never when the timeout is 0
    private boolean isIdle(long last, long now) {
        return timeoutMs > 0 && now - last > timeoutMs;
    }

    private void expire(String streamId) {
        removeState.accept(streamId);
        lastSeen.put(streamId, null);
        expired.record(1);
    }
}
