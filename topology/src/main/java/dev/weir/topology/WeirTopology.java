package dev.weir.topology;

import dev.weir.avro.TokenBatch;
import dev.weir.serdes.ConfluentAvroDeserializer;
import dev.weir.serdes.SchemaRegistryClient;
import dev.weir.topology.internals.DecoderProcessor;
import dev.weir.topology.internals.TokenizerProcessor;
import dev.weir.topology.modality.Modality;
import dev.weir.topology.modality.ModalityTopicNames;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyConfig;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

import java.util.List;

/**
 * Weir's processing graph: two sub-topologies per enabled modality ({@value WeirConfig#MODALITIES}),
 * <pre>
 *   events ─► NAME-tokenizer ─► token batches ─► NAME-decoder ─► decoded media
 *                   └─► dead letters                  └─► dead letters
 * </pre>
 * The decoder reads the token topic, not the tokenizer's memory: it sees exactly what a downstream
 * consumer sees. All records are keyed by stream id; per-stream state lives in changelogged stores, and
 * the state of a stream idle for longer than {@code weir.stream.idle.timeout.ms} is deleted. The
 * processors are generic; what a modality brings is its {@link Modality}.
 */
public final class WeirTopology {

    private WeirTopology() {
    }

    /** Builds the topology of the modalities {@code config} enables, with serdes backed by {@code registry}. */
    public static Topology build(WeirConfig config, SchemaRegistryClient registry) {
        return build(config, registry, Modalities.enabled(config));
    }

    /** Builds the topology of {@code modalities}, with serdes backed by {@code registry}. */
    public static Topology build(WeirConfig config, SchemaRegistryClient registry, List<? extends Modality<?, ?, ?, ?>> modalities) {
        // settings the processors read when they start: wrong ones fail here, once, naming the setting
        config.streamIdleTimeout();
        config.deadLetterMaxBytes();
        modalities.forEach(m -> m.check(config));
        Topology topology = new Topology(new TopologyConfig(new StreamsConfig(WeirApp.streamsProperties(config))));
        Topic<byte[], byte[]> deadLetters = Topic.bytes(config.get(WeirConfig.TOPIC_DEAD_LETTERS));
        for (Modality<?, ?, ?, ?> modality : modalities) {
            add(topology, config, registry, modality, deadLetters);
        }
        return topology;
    }

    private static <E extends SpecificRecord, M, L, D extends SpecificRecord> void add(
            Topology topology, WeirConfig config, SchemaRegistryClient registry, Modality<E, M, L, D> modality,
            Topic<byte[], byte[]> deadLetters) {
        ModalityTopicNames names = config.topics(modality);
        Topic<String, E> events = Topic.avro(names.input(), modality.eventClass(), registry, config.serdeConfig());
        Topic<String, TokenBatch> tokens = Topic.avro(names.tokens(), TokenBatch.class, registry, config.serdeConfig());
        Topic<String, D> decoded = Topic.avro(names.decoded(), modality.decodedClass(), registry, config.serdeConfig());
        ProcessorNames n = new ProcessorNames(modality.name(), modality.input());

        topology.addSource(n.eventsSource(), new ByteArrayDeserializer(), new ByteArrayDeserializer(), events.name());
        // An event's enums say what its bytes are (a pixel or sample format): a symbol of a newer producer's schema is
        // refused (invalid-media), not read as the enum's default, which is another format.
        topology.addProcessor(n.tokenizer(), () -> new TokenizerProcessor<>(modality, config, n,
                ConfluentAvroDeserializer.refusingUnknownSymbols(registry, modality.eventClass())), n.eventsSource());
        topology.addStateStore(snapshotStore(n.encoderStore()), n.tokenizer());
        topology.addStateStore(lastSeenStore(n.encoderLastSeenStore()), n.tokenizer());
        addSink(topology, n.tokensSink(), tokens, n.tokenizer());
        addSink(topology, n.tokenizerDeadLetters(), deadLetters, n.tokenizer());

        topology.addSource(n.tokensSource(), new ByteArrayDeserializer(), new ByteArrayDeserializer(), tokens.name());
        topology.addProcessor(n.decoder(), () -> new DecoderProcessor<>(modality, config, n, tokens.valueSerde().deserializer()),
                n.tokensSource());
        topology.addStateStore(snapshotStore(n.decoderStore()), n.decoder());
        topology.addStateStore(lastSeenStore(n.decoderLastSeenStore()), n.decoder());
        addSink(topology, n.decodedSink(), decoded, n.decoder());
        addSink(topology, n.decoderDeadLetters(), deadLetters, n.decoder());
    }

    private static <K, V> void addSink(Topology topology, String name, Topic<K, V> topic, String parent) {
        topology.addSink(name, topic.name(), topic.keySerde().serializer(), topic.valueSerde().serializer(), parent);
    }

    /**
     * Changelogged store: stream id → the stream's snapshot (generic header + codec state). Cached: a stream's
     * snapshots within one commit interval reach RocksDB and the changelog once, as the last of them (Kafka
     * Streams flushes the cache before each commit, so exactly-once restores the committed one).
     */
    private static StoreBuilder<KeyValueStore<String, byte[]>> snapshotStore(String name) {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), Serdes.String(), Serdes.ByteArray())
                .withCachingEnabled();
    }

    /** Changelogged store: stream id → timestamp of its last record, for the idle timeout; cached likewise. */
    private static StoreBuilder<KeyValueStore<String, Long>> lastSeenStore(String name) {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), Serdes.String(), Serdes.Long())
                .withCachingEnabled();
    }
}
