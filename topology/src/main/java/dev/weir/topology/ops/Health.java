package dev.weir.topology.ops;

import org.apache.kafka.streams.KafkaStreams;

import java.util.function.Supplier;

/**
 * Whether the application is alive and whether it is ready, from its Kafka Streams state: <b>live</b>
 * (healthy) while Kafka Streams runs or rebalances, <b>ready</b> only while it is {@code RUNNING} (every task
 * assigned and restored) and not shutting down. {@link #shuttingDown()} makes it unready at once, before the
 * stream threads start to close, so that a load balancer or orchestrator stops sending work first.
 */
public final class Health {

    private final Supplier<KafkaStreams.State> state;
    private volatile boolean shuttingDown;

    public Health(Supplier<KafkaStreams.State> state) {
        this.state = state;
    }

    /** The Kafka Streams state now. */
    public KafkaStreams.State state() {
        return state.get();
    }

    /** Running or rebalancing: the process works (a failed or stopped client is not live). */
    public boolean live() {
        return state().isRunningOrRebalancing();
    }

    /** {@code RUNNING} and not shutting down: every task assigned and restored, so outputs flow. */
    public boolean ready() {
        return !shuttingDown && state() == KafkaStreams.State.RUNNING;
    }

    /** From now on the application is not ready (it is about to close). */
    public void shuttingDown() {
        shuttingDown = true;
    }

    /** Whether {@link #shuttingDown()} was called. */
    public boolean isShuttingDown() {
        return shuttingDown;
    }
}
