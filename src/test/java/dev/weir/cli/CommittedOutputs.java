package dev.weir.cli;

import dev.weir.avro.DecodedAudio;
import dev.weir.avro.DecodedFrame;
import dev.weir.avro.DecodedText;
import dev.weir.avro.TokenBatch;
import dev.weir.serdes.ConfluentAvroSerde;
import dev.weir.serdes.SchemaRegistryClient;
import dev.weir.topology.TopicNames;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * What a downstream consumer sees: a {@code read_committed} reader of one application's token, decoded and
 * dead-letter topics from their beginning. It keeps every record in arrival order per stream, so a duplicate
 * or a gap shows, and the decoded media as Avro bytes (without the registry framing), so two runs compare
 * byte for byte.
 */
final class CommittedOutputs implements AutoCloseable {

    private static final Map<String, Class<? extends SpecificRecord>> DECODED = Map.of("video", DecodedFrame.class,
            "audio", DecodedAudio.class, "text", DecodedText.class);

    final TopicNames topics;
    private final SchemaRegistryClient registry;
    private final KafkaConsumer<byte[], byte[]> consumer;
    /** Token batches per stream, in arrival order. */
    final Map<String, List<TokenBatch>> tokens = new TreeMap<>();
    /** Decoded outputs per stream, in arrival order: seq and the record's Avro bytes (hex). */
    final Map<String, List<Decoded>> decoded = new TreeMap<>();
    final List<ConsumerRecord<byte[], byte[]>> deadLetters = new ArrayList<>();
    private int decodedCount;

    record Decoded(long seq, String avroHex) {
    }

    CommittedOutputs(String bootstrapServers, SchemaRegistryClient registry, TopicNames topics) {
        this.topics = topics;
        this.registry = registry;
        consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 40 * 1024 * 1024), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = new ArrayList<>();
        List<String> read = new ArrayList<>(topics.outputs());
        read.add(topics.deadLetters());
        for (String topic : read) {
            consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    int decodedCount() {
        return decodedCount;
    }

    /** Reads until {@code done}, or fails after {@code timeout}. */
    CommittedOutputs await(Predicate<CommittedOutputs> done, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.test(this)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("outputs did not arrive in " + timeout + ": " + decodedCount + " decoded, "
                        + deadLetters.size() + " dead letters");
            }
            consumer.poll(Duration.ofMillis(100)).forEach(this::add);
        }
        return this;
    }

    /** Keeps reading for {@code time}: whatever arrives late (a duplicate) is counted too. */
    CommittedOutputs drain(Duration time) {
        long end = System.nanoTime() + time.toNanos();
        while (System.nanoTime() < end) {
            consumer.poll(Duration.ofMillis(100)).forEach(this::add);
        }
        return this;
    }

    private void add(ConsumerRecord<byte[], byte[]> r) {
        if (r.topic().equals(topics.deadLetters())) {
            deadLetters.add(r);
            return;
        }
        for (var e : topics.modalities().entrySet()) {
            if (r.topic().equals(e.getValue().tokens())) {
                TokenBatch b = ConfluentAvroSerde.forValue(registry, TokenBatch.class).deserializer().deserialize(r.topic(), r.value());
                tokens.computeIfAbsent(b.getStreamId(), s -> new ArrayList<>()).add(b);
            } else if (r.topic().equals(e.getValue().decoded())) {
                SpecificRecord d = ConfluentAvroSerde.forValue(registry, DECODED.get(e.getKey())).deserializer().deserialize(r.topic(), r.value());
                decoded.computeIfAbsent(MixedMedia.streamIdOf(d), s -> new ArrayList<>()).add(new Decoded(MixedMedia.seqOf(d), avroHex(d)));
                decodedCount++;
            }
        }
    }

    /**
     * Reads until at least {@code outputs} decoded outputs are committed and a transaction is open with token
     * batches in it (a token partition's last stable offset is below its high watermark): the moment to kill a
     * process in the middle of its work.
     */
    CommittedOutputs awaitOpenTransaction(int outputs, String bootstrapServers, Duration timeout) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            Map<TopicPartition, OffsetSpec> latest = new java.util.HashMap<>();
            topics.modalities().values().forEach(m -> consumer.partitionsFor(m.tokens())
                    .forEach(p -> latest.put(new TopicPartition(m.tokens(), p.partition()), OffsetSpec.latest())));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("no open transaction after " + outputs + " outputs within " + timeout + " ("
                            + decodedCount + " decoded)");
                }
                consumer.poll(Duration.ofMillis(20)).forEach(this::add);
                if (decodedCount >= outputs && transactionOpen(admin, latest)) {
                    return this;
                }
            }
        }
    }

    private static boolean transactionOpen(Admin admin, Map<TopicPartition, OffsetSpec> partitions) throws Exception {
        var stable = admin.listOffsets(partitions, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all().get();
        var written = admin.listOffsets(partitions, new ListOffsetsOptions(IsolationLevel.READ_UNCOMMITTED)).all().get();
        return stable.entrySet().stream().anyMatch(e -> e.getValue().offset() < written.get(e.getKey()).offset());
    }

    private long committedTokens() {
        return tokens.values().stream().mapToLong(List::size).sum();
    }

    private KafkaConsumer<byte[], byte[]> tokenReader(String bootstrapServers, String isolation) {
        KafkaConsumer<byte[], byte[]> reader = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation,
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 40 * 1024 * 1024), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = new ArrayList<>();
        topics.modalities().values().forEach(m -> reader.partitionsFor(m.tokens())
                .forEach(p -> partitions.add(new TopicPartition(m.tokens(), p.partition()))));
        reader.assign(partitions);
        reader.seekToBeginning(partitions);
        return reader;
    }

    /**
     * The token batches written in transactions that were aborted: what a {@code read_uncommitted} reader sees
     * on the token topics, less what this reader got. Above zero, a crash interrupted work that was redone.
     */
    long abortedTokenBatches(String bootstrapServers) {
        try (KafkaConsumer<byte[], byte[]> all = tokenReader(bootstrapServers, "read_uncommitted")) {
            Map<TopicPartition, Long> end = all.endOffsets(all.assignment());
            long records = 0;
            while (end.entrySet().stream().anyMatch(e -> all.position(e.getKey()) < e.getValue())) {
                records += all.poll(Duration.ofMillis(100)).count();
            }
            return records - committedTokens();
        }
    }

    /** The seqs of a stream's token batches, in arrival order. */
    Map<String, List<Long>> tokenSeqs() {
        Map<String, List<Long>> out = new TreeMap<>();
        tokens.forEach((s, list) -> out.put(s, list.stream().map(TokenBatch::getSeq).toList()));
        return out;
    }

    /** The seqs of a stream's decoded outputs, in arrival order. */
    Map<String, List<Long>> decodedSeqs() {
        Map<String, List<Long>> out = new TreeMap<>();
        decoded.forEach((s, list) -> out.put(s, list.stream().map(Decoded::seq).toList()));
        return out;
    }

    /** Every token batch with its timing (the one field that differs between runs) zeroed, as Avro bytes. */
    Map<String, List<String>> tokensWithoutTiming() {
        Map<String, List<String>> out = new TreeMap<>();
        tokens.forEach((s, list) -> out.put(s, list.stream().map(b -> {
            TokenBatch copy = TokenBatch.newBuilder(b).build();
            copy.getStats().setEncodeNanos(0L);
            return avroHex(copy);
        }).toList()));
        return out;
    }

    static String avroHex(SpecificRecord record) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(bytes, null);
        try {
            new SpecificDatumWriter<SpecificRecord>(record.getSchema()).write(record, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return HexFormat.of().formatHex(bytes.toByteArray());
    }

    @Override
    public void close() {
        consumer.close();
    }
}
