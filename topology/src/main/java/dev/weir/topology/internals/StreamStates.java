package dev.weir.topology.internals;

import dev.weir.codec.SnapshotFormatException;
import dev.weir.codec.SnapshotHeader;
import dev.weir.codec.Snapshottable;
import dev.weir.codec.TokenizerRef;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Per-stream state of one task, backed by a changelogged key-value store: each stream's snapshot is the
 * generic {@link SnapshotHeader} (modality, role, tokenizer, sequence state) followed by its codec's own
 * snapshot. A stream's state is restored from the store the first time it is seen after (re)initialisation,
 * and written back after every unit, so a restart or rebalance continues exactly where the last committed
 * transaction left off.
 */
public final class StreamStates<S extends Snapshottable> {

    private static final Logger log = LoggerFactory.getLogger(StreamStates.class);

    /** Most streams kept decoded in memory per task; the rest are restored from the store when they return. */
    static final int MAX_LIVE_STREAMS = 256;

    private final KeyValueStore<String, byte[]> store;
    private final Supplier<S> factory;
    private final String modality;
    private final SnapshotHeader.Role role;
    private final TokenizerRef tokenizer;

    private final Map<String, StreamState<S>> live = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, StreamState<S>> eldest) {
            if (size() > MAX_LIVE_STREAMS) {
                release(eldest.getValue());
                return true;
            }
            return false;
        }
    };

    public StreamStates(KeyValueStore<String, byte[]> store, Supplier<S> factory, String modality, SnapshotHeader.Role role,
                        TokenizerRef tokenizer) {
        this.store = store;
        this.factory = factory;
        this.modality = modality;
        this.role = role;
        this.tokenizer = tokenizer;
    }

    /**
     * The state of {@code streamId}, restored from the store or fresh. A snapshot that cannot be restored
     * (another format version, modality, role or tokenizer) is dropped with a warning and the stream starts
     * afresh: its encoder's next packet is then a keyframe, which resynchronises every decoder.
     */
    public StreamState<S> get(String streamId) {
        return live.computeIfAbsent(streamId, this::load);
    }

    private StreamState<S> load(String streamId) {
        byte[] snapshot = store.get(streamId);
        if (snapshot == null) {
            return fresh();
        }
        try {
            SnapshotHeader.Parsed parsed = SnapshotHeader.parse(snapshot);
            SnapshotHeader header = parsed.header();
            if (!header.modality().equals(modality) || header.role() != role || !header.tokenizer().equals(tokenizer)) {
                throw new SnapshotFormatException("it is the " + header.modality() + " " + header.role() + " state of "
                        + header.tokenizer() + ", this processor is the " + modality + " " + role + " of " + tokenizer);
            }
            S codec = factory.get();
            codec.restore(parsed.body());
            return new StreamState<>(codec, false, header.lastSeq(), header.lastPacket(), header.awaitingKeyframe());
        } catch (SnapshotFormatException e) {
            log.warn("stream {}: stored state cannot be restored ({}); starting the stream afresh", streamId, e.getMessage());
            return fresh();
        }
    }

    private StreamState<S> fresh() {
        return new StreamState<>(factory.get(), true, -1, -1, false);
    }

    /** Writes the stream's snapshot to the store (and so to the changelog); its state is no longer fresh. */
    public void save(String streamId, StreamState<S> state) {
        SnapshotHeader header = new SnapshotHeader(modality, role, tokenizer, state.lastSeq(), state.lastPacket(),
                state.awaitingKeyframe());
        store.put(streamId, header.write(state.codec().snapshot()));
        state.saved();
    }

    /**
     * Deletes a stream's state: from the store (a tombstone goes to the changelog) and from memory, so
     * the next {@link #get} makes a fresh one.
     */
    public void remove(String streamId) {
        // put(null) deletes without reading the old snapshot back, as delete() does to return it
        store.put(streamId, null);
        evict(streamId);
    }

    /** Forgets a stream's in-memory state, for example after it failed to apply; the store is unchanged. */
    public void evict(String streamId) {
        StreamState<S> state = live.remove(streamId);
        if (state != null) {
            release(state);
        }
    }

    /** Forgets every stream's in-memory state (the processor closes); the store is unchanged. */
    public void close() {
        live.values().forEach(StreamStates::release);
        live.clear();
    }

    /** Closes a codec that holds more than heap memory; a failure to do so is logged, not thrown. */
    private static void release(StreamState<?> state) {
        if (state.codec() instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                log.warn("closing a stream's codec failed: {}", e.toString());
            }
        }
    }
}
