package dev.weir.cli;

import dev.weir.serdes.ConfluentAvroSerde;
import dev.weir.serdes.SchemaRegistryClient;
import dev.weir.topology.DeadLetterHeaders;
import dev.weir.topology.WeirConfig;
import dev.weir.topology.modality.Modality;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The benchmarks' side of the broker: produces events to the modalities' input topics and reads their decoded
 * topics and the dead-letter topic with a {@code read_committed} consumer (what a downstream application sees),
 * noting when each event was sent and when its decoded output became visible. One thread: {@link #produceAtRate}
 * reads while it waits for the next event's turn.
 */
final class BenchDriver implements AutoCloseable {

    private final KafkaProducer<byte[], byte[]> producer;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Map<Class<?>, Serializer<SpecificRecord>> serializers = new HashMap<>();
    private final Map<String, Deserializer<? extends SpecificRecord>> decodedByTopic = new HashMap<>();
    private final Map<String, String> inputByModality = new HashMap<>();
    private final Map<String, Long> sentNanos = new HashMap<>();
    private final Map<String, Long> arrivedNanos = new HashMap<>();
    private final String deadLetters;
    private long duplicates;

    BenchDriver(WeirConfig config, SchemaRegistryClient registry, List<? extends Modality<?, ?, ?, ?>> modalities) {
        this.deadLetters = config.topics().deadLetters();
        this.producer = new KafkaProducer<>(ProduceCommand.producerConfig(config), new ByteArraySerializer(), new ByteArraySerializer());
        this.consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.get(WeirConfig.BOOTSTRAP_SERVERS),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, config.getInt(WeirConfig.MAX_EVENT_BYTES) + 1024 * 1024),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = new ArrayList<>();
        for (Modality<?, ?, ?, ?> m : modalities) {
            var names = config.topics().modalities().get(m.name());
            inputByModality.put(m.name(), names.input());
            serializers.put(m.eventClass(), serializer(registry, m.eventClass()));
            decodedByTopic.put(names.decoded(), ConfluentAvroSerde.forValue(registry, m.decodedClass()).deserializer());
            consumer.partitionsFor(names.decoded()).forEach(p -> partitions.add(new TopicPartition(names.decoded(), p.partition())));
        }
        consumer.partitionsFor(deadLetters).forEach(p -> partitions.add(new TopicPartition(deadLetters, p.partition())));
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position); // from now on: only what this run produces
    }

    @SuppressWarnings("unchecked")
    private static Serializer<SpecificRecord> serializer(SchemaRegistryClient registry, Class<?> type) {
        return (Serializer<SpecificRecord>) ConfluentAvroSerde.forValue(registry, (Class<SpecificRecord>) type).serializer();
    }

    /** Sends every event as fast as the producer takes them. */
    void produceAll(String modality, List<BenchWorkload.Event> events) {
        events.forEach(e -> send(modality, e));
        producer.flush();
    }

    /** Sends the events {@code perSecond} a second, reading the outputs in between; returns the seconds it took. */
    double produceAtRate(List<Map.Entry<String, BenchWorkload.Event>> modalityEvents, double perSecond) {
        long start = System.nanoTime();
        for (int i = 0; i < modalityEvents.size(); i++) {
            long due = start + (long) (i * 1e9 / perSecond);
            for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
                read(Duration.ofNanos(Math.min(wait, 5_000_000)));
            }
            send(modalityEvents.get(i).getKey(), modalityEvents.get(i).getValue());
        }
        producer.flush();
        return (System.nanoTime() - start) / 1e9;
    }

    private void send(String modality, BenchWorkload.Event e) {
        String topic = inputByModality.get(modality);
        byte[] value = serializers.get(e.value().getClass()).serialize(topic, e.value());
        sentNanos.put(key(e.streamId(), e.seq()), System.nanoTime());
        producer.send(new ProducerRecord<>(topic, e.streamId().getBytes(StandardCharsets.UTF_8), value));
    }

    /**
     * Reads until every event in {@code events} has its decoded output.
     *
     * @throws IllegalStateException when an event went to the dead-letter topic, or at the timeout
     */
    void awaitDecoded(List<BenchWorkload.Event> events, Duration timeout) {
        long missing = missingAfter(events, timeout);
        if (missing > 0) {
            throw new IllegalStateException(missing + " of " + events.size() + " decoded outputs did not arrive within "
                    + timeout.toSeconds() + " s");
        }
    }

    /**
     * Reads until every event in {@code events} has its decoded output or {@code timeout} has passed; returns how
     * many are still missing.
     *
     * @throws IllegalStateException when an event went to the dead-letter topic
     */
    long missingAfter(List<BenchWorkload.Event> events, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (BenchWorkload.Event e : events) {
            while (!arrived(e) && System.nanoTime() < deadline) {
                read(Duration.ofMillis(50));
            }
        }
        return events.stream().filter(e -> !arrived(e)).count();
    }

    private boolean arrived(BenchWorkload.Event e) {
        return arrivedNanos.containsKey(key(e.streamId(), e.seq()));
    }

    private void read(Duration timeout) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(timeout)) {
            long now = System.nanoTime();
            if (r.topic().equals(deadLetters)) {
                throw new IllegalStateException("a benchmark record went to the dead-letter topic: " + reason(r));
            }
            SpecificRecord decoded = decodedByTopic.get(r.topic()).deserialize(r.topic(), r.value());
            String key = key(field(decoded, "streamId").toString(), (Long) field(decoded, "seq"));
            if (arrivedNanos.putIfAbsent(key, now) != null) {
                duplicates++;
            }
        }
    }

    private static Object field(SpecificRecord record, String name) {
        return record.get(record.getSchema().getField(name).pos());
    }

    private static String reason(ConsumerRecord<byte[], byte[]> r) {
        var header = r.headers().lastHeader(DeadLetterHeaders.MESSAGE);
        return header == null ? "(no reason header)" : new String(header.value(), StandardCharsets.UTF_8);
    }

    /** Milliseconds from sending each event to its decoded output's arrival, of the events whose output arrived. */
    double[] latenciesMs(List<BenchWorkload.Event> events) {
        return events.stream().filter(this::arrived).map(e -> key(e.streamId(), e.seq()))
                .mapToDouble(key -> (arrivedNanos.get(key) - sentNanos.get(key)) / 1e6).toArray();
    }

    /** Decoded outputs that arrived a second time (none under exactly-once). */
    long duplicates() {
        return duplicates;
    }

    private static String key(String streamId, long seq) {
        return streamId + "/" + seq;
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
        consumer.close(Duration.ofSeconds(10));
    }
}
