package dev.weir.topology.internals;

import dev.weir.codec.SnapshotFormatException;
import dev.weir.codec.Snapshottable;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Per-stream codec objects of one task, backed by a changelogged key-value store of their snapshots:
 * an object is restored from the store the first time its stream is seen after (re)initialisation,
 * and its snapshot is written back after every unit, so a restart or rebalance continues exactly
 * where the last committed transaction left off.
 */
public final class StreamStates<S extends Snapshottable> {

    private static final Logger log = LoggerFactory.getLogger(StreamStates.class);

    private final KeyValueStore<String, byte[]> store;
    private final Supplier<S> factory;
    /** Most streams kept decoded in memory per task; the rest are restored from the store when they return. */
    static final int MAX_LIVE_STREAMS = 256;

    private final Map<String, S> live = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, S> eldest) {
            if (size() > MAX_LIVE_STREAMS) {
                fresh.remove(eldest.getKey());
                return true;
            }
            return false;
        }
    };
    private final Set<String> fresh = new HashSet<>();

    public StreamStates(KeyValueStore<String, byte[]> store, Supplier<S> factory) {
        this.store = store;
        this.factory = factory;
    }

    /**
     * The object for {@code streamId}, restored from the store or fresh. A snapshot that cannot be restored
     * (another format version, another codebook) is dropped with a warning and the stream starts afresh:
     * its encoder's next packet is then a keyframe, which resynchronises every decoder.
     */
    public S get(String streamId) {
        return live.computeIfAbsent(streamId, id -> {
            S state = factory.get();
            byte[] snapshot = store.get(id);
            if (snapshot == null) {
                fresh.add(id);
                return state;
            }
            try {
                state.restore(snapshot);
            } catch (SnapshotFormatException e) {
                log.warn("stream {}: stored state cannot be restored ({}); starting the stream afresh", id, e.getMessage());
                fresh.add(id);
                state = factory.get();
            }
            return state;
        });
    }

    /** Whether the stream's object was made fresh (no usable stored state) and has not been saved since. */
    public boolean isFresh(String streamId) {
        return fresh.contains(streamId);
    }

    /** Writes the object's snapshot to the store (and so to the changelog). */
    public void save(String streamId, S state) {
        store.put(streamId, state.snapshot());
        fresh.remove(streamId);
    }

    /**
     * Deletes a stream's state: from the store (a tombstone goes to the changelog) and from memory, so
     * the next {@link #get} makes a fresh object.
     */
    public void remove(String streamId) {
        // put(null) deletes without reading the old snapshot back, as delete() does to return it
        store.put(streamId, null);
        evict(streamId);
    }

    /** Forgets a stream's in-memory object, for example after its state failed to apply. */
    public void evict(String streamId) {
        live.remove(streamId);
        fresh.remove(streamId);
    }
}
