package dev.weir.topology.internals;

import dev.weir.codec.Snapshottable;
import org.apache.kafka.streams.state.KeyValueStore;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Per-stream codec objects of one task, backed by a changelogged key-value store of their snapshots:
 * an object is restored from the store the first time its stream is seen after (re)initialisation,
 * and its snapshot is written back after every unit, so a restart or rebalance continues exactly
 * where the last committed transaction left off.
 */
public final class StreamStates<S extends Snapshottable> {

    private final KeyValueStore<String, byte[]> store;
    private final Supplier<S> factory;
    private final Map<String, S> live = new HashMap<>();

    public StreamStates(KeyValueStore<String, byte[]> store, Supplier<S> factory) {
        this.store = store;
        this.factory = factory;
    }

    /** The object for {@code streamId}, restored from the store or fresh. */
    public S get(String streamId) {
        return live.computeIfAbsent(streamId, id -> {
            S state = factory.get();
            byte[] snapshot = store.get(id);
            if (snapshot != null) {
                state.restore(snapshot);
            }
            return state;
        });
    }

    /** Writes the object's snapshot to the store (and so to the changelog). */
    public void save(String streamId, S state) {
        store.put(streamId, state.snapshot());
    }

    /** Forgets a stream's in-memory object, for example after its state failed to apply. */
    public void evict(String streamId) {
        live.remove(streamId);
    }
}
