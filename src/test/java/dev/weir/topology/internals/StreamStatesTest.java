package dev.weir.topology.internals;

import dev.weir.codec.SnapshotHeader;
import dev.weir.codec.Snapshottable;
import dev.weir.codec.TokenizerRef;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link StreamStates} closes every codec it drops from memory (evicted after a failure, removed when idle, pushed
 * out by newer streams, or the processor closing), so a codec holding device memory gives it back at once; the
 * stored state is what the stream continues from.
 */
class StreamStatesTest {

    final MockProcessorContext<Object, Object> context = new MockProcessorContext<>();
    final KeyValueStore<String, byte[]> store = store(context);
    final List<Codec> made = new ArrayList<>();
    final StreamStates<Codec> states = new StreamStates<>(store, () -> {
        Codec codec = new Codec();
        made.add(codec);
        return codec;
    }, "toy", SnapshotHeader.Role.ENCODER, new TokenizerRef("toy", "1", "none"));

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void aCodecDroppedFromMemoryIsClosedAndItsStreamContinuesFromTheStore() {
        // given three streams in memory, each saved once
        for (String id : List.of("a", "b", "c")) {
            StreamState<Codec> state = states.get(id);
            state.advance(7, 0);
            states.save(id, state);
        }
        // when one is evicted and one removed
        states.evict("a");
        states.remove("b");
        // then exactly those two codecs were closed
        assertTrue(made.get(0).closed);
        assertTrue(made.get(1).closed);
        assertFalse(made.get(2).closed);
        // and the evicted stream comes back from the store with a new codec, the removed one afresh
        assertEquals(7, states.get("a").lastSeq());
        assertEquals(-1, states.get("b").lastSeq());
        // and closing the states closes every codec still in memory
        states.close();
        assertTrue(made.stream().allMatch(c -> c.closed));
    }

    @Test
    void theOldestStreamPushedOutOfMemoryIsClosed() {
        // given as many streams in memory as fit
        for (int i = 0; i < StreamStates.MAX_LIVE_STREAMS; i++) {
            states.get("cam-" + i);
        }
        // when one more comes
        states.get("cam-new");
        // then the least recently used one was dropped and closed, the others are open
        assertTrue(made.getFirst().closed);
        assertEquals(1, made.stream().filter(c -> c.closed).count());
    }

    /** A codec that remembers being closed. */
    static final class Codec implements Snapshottable, AutoCloseable {
        boolean closed;

        @Override
        public byte[] snapshot() {
            return new byte[] {1, 2, 3};
        }

        @Override
        public void restore(byte[] snapshot) {
            assertArrayEquals(new byte[] {1, 2, 3}, snapshot);
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    private static KeyValueStore<String, byte[]> store(MockProcessorContext<Object, Object> context) {
        KeyValueStore<String, byte[]> store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("codec"),
                Serdes.String(), Serdes.ByteArray()).withLoggingDisabled().build();
        store.init(context.getStateStoreContext(), store);
        return store;
    }
}
