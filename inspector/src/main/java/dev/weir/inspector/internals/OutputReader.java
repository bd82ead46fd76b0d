package dev.weir.inspector.internals;

import dev.weir.avro.TokenBatch;
import dev.weir.serdes.SchemaRegistryClient;
import dev.weir.topology.Modalities;
import dev.weir.topology.Topic;
import dev.weir.topology.WeirConfig;
import dev.weir.topology.modality.ModalityDescriptor;
import dev.weir.topology.text.TextModality;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The inspector's one Kafka client: a {@code read_committed} consumer of Weir's token, decoded and dead-letter topics
 * (and the input topics when allowed), with no consumer group and no commits (it assigns every partition and starts
 * {@code lookback} records before each one's end), so it adds no state to the cluster and never disturbs the
 * application. Its thread hands each record to the {@link StreamBoard}; a record it cannot read is counted and skipped.
 */
public final class OutputReader implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(OutputReader.class);

    /** What a topic is to the inspector. */
    enum Role { INPUT, TOKENS, DECODED, DEAD_LETTERS }

    /** A topic, whose it is, what it is, and how its values are read (null for the dead letters: headers only). */
    record Route(String topic, String modality, Role role, Deserializer<? extends SpecificRecord> values) {
    }

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Map<String, Route> routes;
    private final Map<String, String> modalityOfTopic = new java.util.HashMap<>();
    private final StreamBoard board;
    private final int lookback;
    private final Thread thread;
    private volatile boolean closed;

    public OutputReader(WeirConfig config, SchemaRegistryClient registry, boolean readInputs, int lookback, StreamBoard board) {
        this.routes = routes(config, registry, readInputs);
        config.topics().modalities().forEach((modality, names) -> names.all().forEach(t -> modalityOfTopic.put(t, modality)));
        this.board = board;
        this.lookback = lookback;
        Map<String, Object> settings = new TreeMap<>(config.clientConfig(ConsumerConfig.configNames()));
        settings.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        settings.remove(ConsumerConfig.GROUP_ID_CONFIG);
        settings.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
        settings.put(ConsumerConfig.CLIENT_ID_CONFIG, config.get(WeirConfig.APPLICATION_ID) + "-inspector");
        int fetch = config.getInt(WeirConfig.MAX_EVENT_BYTES) + 1024 * 1024;
        settings.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, fetch);
        settings.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, fetch);
        settings.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 200);
        this.consumer = new KafkaConsumer<>(settings, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.thread = Thread.ofPlatform().name("weir-inspector-reader").daemon().unstarted(this::run);
    }

    /** The topics a reader of {@code config} reads. */
    public static List<String> topicsRead(WeirConfig config, boolean readInputs) {
        List<String> topics = new ArrayList<>();
        config.topics().modalities().forEach((modality, names) -> {
            if (readInputs && inputShown(modality)) {
                topics.add(names.input());
            }
            topics.add(names.tokens());
            topics.add(names.decoded());
        });
        topics.add(config.topics().deadLetters());
        return topics;
    }

    /** Assigns the partitions, seeks back {@code lookback} records, and starts reading on its own thread. */
    public void start() {
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : routes.keySet()) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
            if (infos != null) {
                infos.forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            }
        }
        consumer.assign(partitions);
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
        Map<TopicPartition, Long> begins = consumer.beginningOffsets(partitions);
        for (TopicPartition p : partitions) {
            consumer.seek(p, Math.max(begins.getOrDefault(p, 0L), ends.getOrDefault(p, 0L) - lookback));
        }
        thread.start();
    }

    private void run() {
        try {
            while (!closed) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    accept(r, System.currentTimeMillis());
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            if (!closed) {
                log.warn("the inspector stopped reading: {}", e.toString());
            }
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    void accept(ConsumerRecord<byte[], byte[]> r, long now) {
        Route route = routes.get(r.topic());
        if (route == null) {
            return;
        }
        if (route.role() == Role.DEAD_LETTERS) {
            board.onDeadLetter(DeadLetter.of(r, this::modalityOf), now);
            return;
        }
        SpecificRecord value;
        try {
            value = r.value() == null ? null : route.values().deserialize(r.topic(), r.value());
        } catch (RuntimeException e) {
            value = null;
        }
        if (value == null) {
            board.onUnreadable(now);
            return;
        }
        String key = r.key() == null ? "" : new String(r.key(), StandardCharsets.UTF_8);
        switch (route.role()) {
            case TOKENS -> board.onTokens(route.modality(), (TokenBatch) value, now);
            case DECODED -> board.onDecoded(route.modality(), key, value, now);
            case INPUT -> board.onInput(route.modality(), key, value, now);
            default -> { }
        }
    }

    private String modalityOf(String topic) {
        return modalityOfTopic.getOrDefault(topic, "");
    }

    @Override
    public void close() {
        closed = true;
        consumer.wakeup();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Map<String, Route> routes(WeirConfig config, SchemaRegistryClient registry, boolean readInputs) {
        Map<String, Route> routes = new LinkedHashMap<>();
        Map<String, Object> serde = config.serdeConfig();
        config.topics().modalities().forEach((modality, names) -> {
            routes.put(names.tokens(), new Route(names.tokens(), modality, Role.TOKENS,
                    Topic.avro(names.tokens(), TokenBatch.class, registry, serde).valueSerde().deserializer()));
            ModalityDescriptor<?, ?> descriptor = Modalities.named(modality).descriptor();
            routes.put(names.decoded(), new Route(names.decoded(), modality, Role.DECODED,
                    deserializer(names.decoded(), descriptor.decodedClass(), registry, serde)));
            if (readInputs && inputShown(modality)) {
                routes.put(names.input(), new Route(names.input(), modality, Role.INPUT,
                        deserializer(names.input(), descriptor.eventClass(), registry, serde)));
            }
        });
        String dead = config.topics().deadLetters();
        routes.put(dead, new Route(dead, "", Role.DEAD_LETTERS, null));
        return routes;
    }

    private static <V extends SpecificRecord> Deserializer<V> deserializer(String topic, Class<V> type, SchemaRegistryClient registry,
                                                                           Map<String, Object> serde) {
        return Topic.avro(topic, type, registry, serde).valueSerde().deserializer();
    }

    /** Whether a modality's input topic is read when inputs are: not text's, whose decoded text is the input (lossless). */
    private static boolean inputShown(String modality) {
        return !modality.equals(TextModality.NAME);
    }
}
