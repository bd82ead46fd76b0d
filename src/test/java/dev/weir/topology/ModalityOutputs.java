package dev.weir.topology;

import dev.weir.avro.TokenBatch;
import dev.weir.serdes.ConfluentAvroSerde;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.ToLongFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A read_committed reader of one modality's token and decoded topics (the default names, {@code weir.NAME.tokens}
 * and {@code weir.NAME.decoded}) from their beginning: the token batches in the order read, and each decoded record
 * by its seq, as {@code value} renders it. A unit decoded twice fails the test.
 */
final class ModalityOutputs<D extends SpecificRecord> implements AutoCloseable {
    final Map<Long, String> decoded = new TreeMap<>();
    final List<TokenBatch> batches = new ArrayList<>();

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final String tokensTopic;
    private final Deserializer<TokenBatch> tokens;
    private final Deserializer<D> decodedRecords;
    private final ToLongFunction<D> seq;
    private final Function<D, String> value;
    private final Duration wait;

    ModalityOutputs(PipelineStack pipeline, String modality, Class<D> decodedClass, ToLongFunction<D> seq,
                    Function<D, String> value, Duration wait) {
        this.consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, pipeline.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.tokensTopic = "weir." + modality + ".tokens";
        this.tokens = ConfluentAvroSerde.forValue(pipeline.registry(), TokenBatch.class).deserializer();
        this.decodedRecords = ConfluentAvroSerde.forValue(pipeline.registry(), decodedClass).deserializer();
        this.seq = seq;
        this.value = value;
        this.wait = wait;
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : List.of(tokensTopic, "weir." + modality + ".decoded")) {
            consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /** Reads until {@code done}, or fails after the wait given at construction. */
    void await(BooleanSupplier done) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("outputs did not arrive in " + wait + ": decoded " + decoded.size());
            }
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                if (r.topic().equals(tokensTopic)) {
                    batches.add(tokens.deserialize(r.topic(), r.value()));
                } else {
                    D record = decodedRecords.deserialize(r.topic(), r.value());
                    long n = seq.applyAsLong(record);
                    assertEquals(null, decoded.put(n, value.apply(record)), "unit " + n + " decoded twice");
                }
            }
        }
    }

    @Override
    public void close() {
        consumer.close();
    }
}
