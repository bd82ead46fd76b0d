package dev.weir.topology;

import dev.weir.avro.DecodedAudio;
import dev.weir.avro.DecodedFrame;
import dev.weir.avro.DecodedText;
import dev.weir.avro.PixelFormat;
import dev.weir.avro.TokenBatch;
import dev.weir.serdes.ConfluentAvroSerde;
import dev.weir.topology.HostileCorpus.Case;
import dev.weir.topology.ops.WeirMetrics;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.ThreadMetadata;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The hostile-input corpus ({@link HostileCorpus}) against the real topology: Weir running all three modalities on
 * a real KRaft broker and Apicurio registry, every bad record of the corpus produced between good records of six
 * streams. Read back with {@code read_committed}: every bad record is a dead letter with its reason and its source,
 * counted per modality by Weir's meters and by reason; every good record gave one token batch and one decoded output; the application is still
 * running on the threads it started with, and its heap after a GC did not grow with what the records declared.
 */
class HostileInputIT {

    static final Duration WAIT = Duration.ofSeconds(180);
    /** Rounds of good records: the first before any bad record, the corpus spread over the others. */
    static final int ROUNDS = 7;
    static final Map<String, List<String>> GOOD_STREAMS = Map.of(
            "video", List.of(HostileCorpus.CAMERA, "cam-b"),
            "audio", List.of(HostileCorpus.MICROPHONE, "mic-b"),
            "text", List.of(HostileCorpus.LOG, "log-b"));
    /** A good frame near the size limit: its decoded RGB and framing just fit weir.max.event.bytes. */
    static final String BIG_CAMERA = "cam-big";
    /** How much the heap after a GC may grow over the run: far less than one bomb's declared picture (201 MB). */
    static final long HEAP_GROWTH_BOUND = 64L * 1024 * 1024;

    static PipelineStack pipeline;

    @BeforeAll
    static void startStack(@TempDir Path dir) throws Exception {
        pipeline = PipelineStack.start(dir, hostileSettings());
    }

    @AfterAll
    static void stopStack() {
        if (pipeline != null) {
            pipeline.close();
        }
    }

    static WeirConfig config() {
        return pipeline.config();
    }

    /** The corpus's limits, for the application of this test. */
    private static Map<String, String> hostileSettings() {
        Map<String, String> settings = new HashMap<>(HostileCorpus.settings());
        settings.put(WeirConfig.APPLICATION_ID, "weir-hostile-it");
        return settings;
    }

    @Test
    void everyBadRecordIsADeadLetterWithItsCauseAndEveryGoodRecordIsProcessedOnceWhileWeirStaysUp() throws Exception {
        List<Case> corpus = HostileCorpus.load();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerConfig(), new ByteArraySerializer(), new ByteArraySerializer());
             WeirApp app = WeirApp.start(config());
             Outputs outputs = new Outputs()) {
            // given Weir runs all three modalities, and six good streams have sent their first records through it
            app.awaitRunning(WAIT);
            Map<String, Long> good = new TreeMap<>();
            sendGoodRound(producer, 1, good);
            outputs.await(o -> o.processedAll(good));
            long heapBefore = heapAfterGc();
            Set<String> threadsBefore = threadNames(app.streams());

            // when the whole corpus comes, spread between six more rounds of good records, and a good frame near the size limit
            Map<String, Case> bad = new HashMap<>(); // by topic/partition/offset
            Map<String, byte[]> badValues = new HashMap<>();
            int perRound = (corpus.size() + ROUNDS - 2) / (ROUNDS - 1);
            for (int round = 2; round <= ROUNDS; round++) {
                sendGoodRound(producer, round, good);
                for (Case c : corpus.subList(Math.min(corpus.size(), (round - 2) * perRound), Math.min(corpus.size(), (round - 1) * perRound))) {
                    byte[] value = HostileCorpus.value(c, pipeline.registry());
                    RecordMetadata at = producer.send(new ProducerRecord<>(c.topic(), c.key(), value)).get();
                    bad.put(where(at.topic(), at.partition(), at.offset()), c);
                    badValues.put(c.name(), value);
                }
            }
            send(producer, HostileCorpus.FRAMES, BIG_CAMERA, HostileCorpus.frame(BIG_CAMERA, 1, 960, 704, PixelFormat.RGB24,
                    new byte[3 * 960 * 704]));
            good.put(key("video", BIG_CAMERA, 1), 1L);
            producer.flush();

            // then every good record gave one token batch and one decoded output (Outputs fails on a second one)
            outputs.skip(bad.keySet());
            outputs.await(o -> o.processedAll(good) && o.deadLetters.size() >= corpus.size());
            assertEquals(good.keySet(), outputs.decoded.keySet());
            assertEquals(good.keySet(), outputs.batches.keySet());
            // and every bad record is one dead letter, with its reason, its processor and where it came from
            outputs.drainFor(Duration.ofSeconds(3));
            Map<String, String> reasons = new TreeMap<>();
            for (ConsumerRecord<byte[], byte[]> letter : outputs.deadLetters) {
                String source = where(header(letter, DeadLetterHeaders.SOURCE_TOPIC),
                        Integer.parseInt(header(letter, DeadLetterHeaders.SOURCE_PARTITION)), Long.parseLong(header(letter, DeadLetterHeaders.SOURCE_OFFSET)));
                Case c = bad.get(source);
                assertNotNull(c, "a dead letter of no bad record, from " + source + ": " + header(letter, DeadLetterHeaders.MESSAGE));
                assertEquals(null, reasons.put(c.name(), header(letter, DeadLetterHeaders.REASON)), c + " set aside twice");
                assertEquals(c.processor(), header(letter, DeadLetterHeaders.PROCESSOR), c.name());
                HostileInputTest.assertDeadLetterValue(c, badValues.get(c.name()), letter.headers(), letter.value());
            }
            assertEquals(corpus.stream().collect(Collectors.toMap(Case::name, Case::reason, (a, b) -> a, TreeMap::new)), reasons);
            // and counted per modality by the operator's meters (weir_dead_letters_total{modality=...}), and by reason
            Map<String, Long> perModality = corpus.stream().collect(Collectors.groupingBy(Case::modality, TreeMap::new, Collectors.counting()));
            assertEquals(perModality, deadLettersPerModality(app));
            Map<String, Long> perReason = corpus.stream().collect(Collectors.groupingBy(Case::reason, TreeMap::new, Collectors.counting()));
            assertEquals(perReason, deadLettersCounted(app.streams(), perReason.keySet()));
            // and Weir is still running, on the stream threads it started with
            assertEquals(KafkaStreams.State.RUNNING, app.streams().state());
            assertEquals(threadsBefore, threadNames(app.streams()));
            // and, with what this test holds let go, its heap after a GC grew by far less than what one bomb declares
            badValues.clear();
            outputs.clear();
            long heapAfter = heapAfterGc();
            System.out.printf("hostile input: heap after GC %,d bytes before the corpus, %,d after%n", heapBefore, heapAfter);
            assertTrue(heapAfter - heapBefore < HEAP_GROWTH_BOUND, "heap after GC grew from " + heapBefore + " to " + heapAfter);
        }
    }

    /** Round {@code round}'s record of every good stream. */
    private static void sendGoodRound(KafkaProducer<byte[], byte[]> producer, int round, Map<String, Long> good) throws Exception {
        for (var modality : new TreeMap<>(GOOD_STREAMS).entrySet()) {
            for (String stream : modality.getValue()) {
                send(producer, HostileCorpus.inputTopic(modality.getKey()), stream, HostileCorpus.goodEvent(modality.getKey(), stream, round));
                good.put(key(modality.getKey(), stream, round), (long) round);
            }
        }
    }

    private static void send(KafkaProducer<byte[], byte[]> producer, String topic, String streamId, SpecificRecord event)
            throws ExecutionException, InterruptedException {
        byte[] value = ConfluentAvroSerde.forValue(pipeline.registry(), HostileInputTest.eventClass(event)).serializer().serialize(topic, event);
        producer.send(new ProducerRecord<>(topic, streamId.getBytes(StandardCharsets.UTF_8), value)).get();
    }

    static String key(String modality, String streamId, long seq) {
        return modality + "/" + streamId + "/" + seq;
    }

    static String where(String topic, int partition, long offset) {
        return topic + "/" + partition + "/" + offset;
    }

    static String header(ConsumerRecord<byte[], byte[]> record, String key) {
        var h = record.headers().lastHeader(key);
        assertNotNull(h, "missing header " + key);
        return new String(h.value(), StandardCharsets.UTF_8);
    }

    static Map<String, Long> deadLettersCounted(KafkaStreams streams, Set<String> reasons) {
        Map<String, Long> counted = new TreeMap<>();
        for (String reason : reasons) {
            counted.put(reason, (long) streams.metrics().entrySet().stream()
                    .filter(e -> e.getKey().group().equals("weir-metrics") && e.getKey().name().equals("dead-letters-" + reason + "-total"))
                    .mapToDouble(e -> ((Number) e.getValue().metricValue()).doubleValue())
                    .sum());
        }
        return counted;
    }

    /** The {@code weir.dead.letters} meter of each modality, as a scrape of {@code /metrics} reads it. */
    static Map<String, Long> deadLettersPerModality(WeirApp app) {
        WeirMetrics metrics = app.operations().metrics();
        metrics.scrape(); // the per-modality meters read Kafka's metrics when scraped
        Map<String, Long> counted = new TreeMap<>();
        for (String modality : GOOD_STREAMS.keySet()) {
            counted.put(modality, (long) metrics.registry().get("weir.dead.letters").tag("modality", modality).functionCounter().count());
        }
        return counted;
    }

    static Set<String> threadNames(KafkaStreams streams) {
        return streams.metadataForLocalThreads().stream().map(ThreadMetadata::threadName).collect(Collectors.toSet());
    }

    /** The heap in use after a full collection (the least of three, so a collection racing the allocator does not count). */
    static long heapAfterGc() throws InterruptedException {
        long least = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
            least = Math.min(least, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return least;
    }

    static Map<String, Object> producerConfig() {
        return Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, pipeline.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true, ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4",
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 8 * 1024 * 1024);
    }

    /** A read_committed reader of the token, decoded and dead-letter topics, from their beginning. */
    static final class Outputs implements AutoCloseable {
        final KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                pipeline.bootstrapServers(), ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 8 * 1024 * 1024), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        /** Good records' token batches and decoded outputs, by modality/stream/seq. */
        final Map<String, TokenBatch> batches = new TreeMap<>();
        final Map<String, SpecificRecord> decoded = new TreeMap<>();
        final List<ConsumerRecord<byte[], byte[]>> deadLetters = new ArrayList<>();
        /** The bad records the test wrote to the token topics: inputs, not outputs. */
        final Set<String> skipped = new java.util.HashSet<>();
        final ConfluentAvroSerde<TokenBatch> tokens = ConfluentAvroSerde.forValue(pipeline.registry(), TokenBatch.class);
        final Map<String, ConfluentAvroSerde<? extends SpecificRecord>> decodedSerdes = Map.of(
                "video", ConfluentAvroSerde.forValue(pipeline.registry(), DecodedFrame.class),
                "audio", ConfluentAvroSerde.forValue(pipeline.registry(), DecodedAudio.class),
                "text", ConfluentAvroSerde.forValue(pipeline.registry(), DecodedText.class));

        Outputs() {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String modality : List.of("video", "audio", "text")) {
                for (String topic : List.of("weir." + modality + ".tokens", "weir." + modality + ".decoded")) {
                    consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
                }
            }
            consumer.partitionsFor("weir.dead-letters").forEach(p -> partitions.add(new TopicPartition("weir.dead-letters", p.partition())));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
        }

        /** Lets go of everything read. */
        void clear() {
            batches.clear();
            decoded.clear();
            deadLetters.clear();
        }

        void skip(Set<String> records) {
            skipped.addAll(records);
        }

        boolean processedAll(Map<String, Long> good) {
            return decoded.keySet().containsAll(good.keySet()) && batches.keySet().containsAll(good.keySet());
        }

        void await(Predicate<Outputs> done) {
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (!done.test(this)) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("outputs did not arrive in " + WAIT + ": " + decoded.size() + " decoded, "
                            + batches.size() + " batches, " + deadLetters.size() + " dead letters");
                }
                poll();
            }
        }

        /** Reads on for {@code quiet}: anything more (a duplicate, a dead letter too many) is caught. */
        void drainFor(Duration quiet) {
            long end = System.nanoTime() + quiet.toNanos();
            while (System.nanoTime() < end) {
                poll();
            }
        }

        private void poll() {
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                if (r.topic().equals("weir.dead-letters")) {
                    deadLetters.add(r);
                } else if (!skipped.contains(where(r.topic(), r.partition(), r.offset()))) {
                    String modality = r.topic().split("\\.")[1];
                    if (r.topic().endsWith(".tokens")) {
                        TokenBatch b = tokens.deserializer().deserialize(r.topic(), r.value());
                        assertEquals(null, batches.put(key(modality, b.getStreamId().toString(), b.getSeq()), b),
                                "two token batches for " + b.getStreamId() + " " + b.getSeq());
                    } else {
                        SpecificRecord d = decodedSerdes.get(modality).deserializer().deserialize(r.topic(), r.value());
                        String id = d.get(d.getSchema().getField("streamId").pos()).toString();
                        long seq = (Long) d.get(d.getSchema().getField("seq").pos());
                        assertEquals(null, decoded.put(key(modality, id, seq), d), "two decoded outputs for " + id + " " + seq);
                    }
                }
            }
        }

        @Override
        public void close() {
            consumer.close();
        }
    }
}
