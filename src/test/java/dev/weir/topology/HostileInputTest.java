package dev.weir.topology;

import dev.weir.avro.VideoFrame;
import dev.weir.codec.MediaFormatException;
import dev.weir.codec.MediaTooLargeException;
import dev.weir.serdes.ConfluentAvroSerde;
import dev.weir.serdes.InMemorySchemaRegistryClient;
import dev.weir.topology.HostileCorpus.Case;
import dev.weir.topology.audio.AudioModality;
import dev.weir.topology.internals.DeadLetters;
import dev.weir.topology.internals.ModalityMeters;
import dev.weir.topology.text.TextModality;
import dev.weir.topology.video.VideoModality;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static dev.weir.topology.DriverAssertions.header;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The hostile-input corpus ({@link HostileCorpus}) through the real topology of all three modalities on Kafka
 * Streams' TopologyTestDriver, one bad record at a time, each followed by a good record of its modality: the bad
 * one is a dead letter with the corpus's reason, counted, refused without allocating what it declares, and the
 * good one is tokenized and decoded. {@link HostileInputIT} runs the same corpus through a real broker.
 */
class HostileInputTest {

    /**
     * What processing one bad record may allocate on the stream thread: a fixed allowance and a few copies of its own
     * bytes (Avro reads them, the modality copies its media out), never what it declares: the bombs of the corpus
     * declare 2.5 MB to 30 GB in a few hundred bytes to a few megabytes, and are refused before that is allocated
     * (or, for the 8 kHz chunk whose 16 kHz audio would not fit, encoded).
     */
    static long allocationBound(byte[] value) {
        return 4L * 1024 * 1024 + 4L * (value == null ? 0 : value.length);
    }

    final WeirConfig config = WeirConfig.of(merged(HostileCorpus.settings(), Map.of(WeirConfig.BOOTSTRAP_SERVERS, "unused:9092")), Map.of());
    final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
    final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    TopologyTestDriver driver;
    final Map<String, TestInputTopic<byte[], byte[]>> inputs = new HashMap<>();
    /** Records piped into each topic: the offset the next one gets. */
    final Map<String, Long> offsets = new HashMap<>();
    TestOutputTopic<byte[], byte[]> deadLetters;
    final Map<String, TestOutputTopic<byte[], byte[]>> outputs = new TreeMap<>();

    @BeforeEach
    void startDriver(@TempDir Path stateDir) {
        WeirApp.registerSchemas(registry, config, List.of(new VideoModality(), new AudioModality(), new TextModality()));
        Properties props = WeirApp.streamsProperties(config);
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "weir-hostile-test");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        driver = new TopologyTestDriver(WeirTopology.build(config, registry), props);
        for (String topic : List.of(HostileCorpus.FRAMES, HostileCorpus.CHUNKS, HostileCorpus.EVENTS,
                HostileCorpus.VIDEO_TOKENS, HostileCorpus.AUDIO_TOKENS, HostileCorpus.TEXT_TOKENS)) {
            inputs.put(topic, driver.createInputTopic(topic, new ByteArraySerializer(), new ByteArraySerializer()));
        }
        for (String modality : List.of("video", "audio", "text")) {
            for (String kind : List.of("tokens", "decoded")) {
                String topic = "weir." + modality + "." + kind;
                outputs.put(topic, driver.createOutputTopic(topic, new ByteArrayDeserializer(), new ByteArrayDeserializer()));
            }
        }
        deadLetters = driver.createOutputTopic("weir.dead-letters", new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    @AfterEach
    void closeDriver() {
        driver.close();
    }

    @Test
    void everyBadRecordIsADeadLetterWithItsReasonRefusedCheaplyAndTheGoodRecordAfterItIsProcessed() {
        // given the good streams of the three modalities have started
        Map<String, Long> goodSeq = new HashMap<>(Map.of("video", 0L, "audio", 0L, "text", 0L));
        for (String modality : goodSeq.keySet()) {
            sendGood(modality, goodSeq);
        }
        drainOutputs();
        List<Case> corpus = HostileCorpus.load();
        Map<String, Long> allocated = new TreeMap<>();

        for (Case c : corpus) {
            // when a bad record comes, then a good record of its modality
            byte[] value = HostileCorpus.value(c, registry);
            long offset = offsets.merge(c.topic(), 1L, Long::sum) - 1;
            long before = threads.getCurrentThreadAllocatedBytes();
            inputs.get(c.topic()).pipeInput(new TestRecord<>(c.key(), value));
            allocated.put(c.name(), threads.getCurrentThreadAllocatedBytes() - before);
            String modality = c.modality();
            sendGood(modality, goodSeq);

            // then the bad record is one dead letter, with the corpus's reason, its processor and where it came from
            List<TestRecord<byte[], byte[]>> letters = deadLetters.readRecordsToList();
            assertEquals(1, letters.size(), c + ": " + letters.stream().map(r -> header(r, DeadLetterHeaders.MESSAGE)).toList());
            TestRecord<byte[], byte[]> letter = letters.getFirst();
            assertEquals(c.reason(), header(letter, DeadLetterHeaders.REASON), c + ": " + header(letter, DeadLetterHeaders.MESSAGE));
            assertEquals(c.processor(), header(letter, DeadLetterHeaders.PROCESSOR), c.name());
            assertEquals(c.topic(), header(letter, DeadLetterHeaders.SOURCE_TOPIC), c.name());
            assertEquals("0", header(letter, DeadLetterHeaders.SOURCE_PARTITION), c.name());
            assertEquals(Long.toString(offset), header(letter, DeadLetterHeaders.SOURCE_OFFSET), c.name());
            assertArrayEquals(c.key(), letter.key(), c.name());
            assertDeadLetterValue(c, value, letter.headers(), letter.value());
            // and processing it allocated nothing in proportion to what it declares
            assertTrue(allocated.get(c.name()) <= allocationBound(value), c + " allocated " + allocated.get(c.name())
                    + " bytes for a value of " + (value == null ? 0 : value.length));
            // and the good record after it was tokenized and decoded, once
            Map<String, Integer> produced = drainOutputs();
            assertEquals(Map.of("weir." + modality + ".tokens", 1, "weir." + modality + ".decoded", 1), produced,
                    c + ": good " + modality + " record " + goodSeq.get(modality));
        }

        // then every dead letter was counted under its reason
        Map<String, Long> expected = corpus.stream().collect(Collectors.groupingBy(Case::reason, TreeMap::new, Collectors.counting()));
        Map<String, Long> counted = new TreeMap<>();
        for (String reason : expected.keySet()) {
            counted.put(reason, (long) deadLettersCounted(reason));
        }
        assertEquals(expected, counted);
        // and under its modality by the operator's meters (weir_dead_letters_total{modality=...})
        Map<String, Long> perModality = corpus.stream().collect(Collectors.groupingBy(Case::modality, TreeMap::new, Collectors.counting()));
        assertEquals(perModality, deadLettersPerModality());
        allocated.forEach((name, bytes) -> System.out.printf("hostile %-40s %,12d bytes allocated%n", name, bytes));
    }

    @Test
    void thePngBombsAreRefusedFromTheirDeclaredSizesWithoutAllocatingTheirPixels() {
        // given the corpus's PNG bombs: 67 bytes declaring 100000x100000, and 8 KB that inflate to 8192x8192
        VideoModality video = new VideoModality();
        Map<String, VideoFrame> bombs = new TreeMap<>();
        for (String name : List.of("png-bomb-100000x100000", "png-bomb-8192x8192-says-320x240", "png-bomb-8192x8192")) {
            Case c = HostileCorpus.load().stream().filter(k -> k.name().equals(name)).findFirst().orElseThrow();
            bombs.put(name, ConfluentAvroSerde.forValue(registry, VideoFrame.class).deserializer()
                    .deserialize(c.topic(), HostileCorpus.value(c, registry)));
        }

        // when the video modality takes each as a frame's media
        Map<String, RuntimeException> refused = new TreeMap<>();
        Map<String, Long> allocated = new TreeMap<>();
        bombs.forEach((name, frame) -> {
            long before = threads.getCurrentThreadAllocatedBytes();
            refused.put(name, assertThrows(RuntimeException.class, () -> video.media(frame, HostileCorpus.MAX_EVENT_BYTES)));
            allocated.put(name, threads.getCurrentThreadAllocatedBytes() - before);
        });

        // then a PNG whose header declares another size than its frame is refused from the header, before its pixels
        assertEquals(MediaFormatException.class, refused.get("png-bomb-100000x100000").getClass());
        assertTrue(refused.get("png-bomb-100000x100000").getMessage().contains("header declares 100000x100000"),
                refused.get("png-bomb-100000x100000").getMessage());
        assertEquals(MediaFormatException.class, refused.get("png-bomb-8192x8192-says-320x240").getClass());
        assertTrue(refused.get("png-bomb-8192x8192-says-320x240").getMessage().contains("header declares 8192x8192 but the frame says 320x240"),
                refused.get("png-bomb-8192x8192-says-320x240").getMessage());
        // and a frame whose declared size would not fit a record is refused before its PNG is even opened
        assertEquals(MediaTooLargeException.class, refused.get("png-bomb-8192x8192").getClass());
        // and none of them allocated a megabyte, against the 30 GB and 201 MB of RGB they declare
        allocated.forEach((name, bytes) -> assertTrue(bytes < 1024 * 1024, name + " allocated " + bytes + " bytes"));
    }

    /** A dead letter carries the bad value whole, or, only when that would not fit the topic, a prefix of it. */
    static void assertDeadLetterValue(Case c, byte[] value, Headers headers, byte[] letterValue) {
        if (value == null || headers.lastHeader(DeadLetterHeaders.VALUE_TRUNCATED) == null) {
            assertArrayEquals(value, letterValue, c.name());
            return;
        }
        assertTrue(value.length > HostileCorpus.MAX_EVENT_BYTES - DeadLetters.PREFIX_BYTES, c + " was cut, at " + value.length + " bytes");
        assertEquals(Integer.toString(value.length), new String(headers.lastHeader(DeadLetterHeaders.VALUE_BYTES).value(),
                StandardCharsets.UTF_8), c.name());
        assertArrayEquals(Arrays.copyOf(value, letterValue.length), letterValue, c.name());
    }

    private double deadLettersCounted(String reason) {
        return driver.metrics().entrySet().stream()
                .filter(e -> e.getKey().group().equals("weir-metrics") && e.getKey().name().equals("dead-letters-" + reason + "-total"))
                .mapToDouble(e -> ((Number) e.getValue().metricValue()).doubleValue())
                .sum();
    }

    /** What {@code weir.dead.letters} of each modality reads from the driver's metrics, as on a scrape. */
    private Map<String, Long> deadLettersPerModality() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        ModalityMeters view = new ModalityMeters(driver::metrics, List.of(new VideoModality(), new AudioModality(), new TextModality()),
                "weir-hostile-test");
        view.bindTo(meters);
        view.refresh();
        Map<String, Long> counted = new TreeMap<>();
        for (String modality : List.of("video", "audio", "text")) {
            counted.put(modality, (long) meters.get("weir.dead.letters").tag("modality", modality).functionCounter().count());
        }
        return counted;
    }

    private void sendGood(String modality, Map<String, Long> goodSeq) {
        long seq = goodSeq.merge(modality, 1L, Long::sum);
        String topic = HostileCorpus.inputTopic(modality);
        SpecificRecord event = HostileCorpus.goodEvent(modality, HostileCorpus.goodStream(modality), seq);
        byte[] value = ConfluentAvroSerde.forValue(registry, eventClass(event)).serializer().serialize(topic, event);
        offsets.merge(topic, 1L, Long::sum);
        inputs.get(topic).pipeInput(HostileCorpus.goodStream(modality).getBytes(StandardCharsets.UTF_8), value);
    }

    @SuppressWarnings("unchecked")
    static <T extends SpecificRecord> Class<T> eventClass(T event) {
        return (Class<T>) event.getClass();
    }

    /**
     * Reads every output topic empty: how many records each held (those that held any). The token topics are also
     * inputs: what the tokenizers wrote there takes offsets, as the records piped in do.
     */
    private Map<String, Integer> drainOutputs() {
        Map<String, Integer> counts = new TreeMap<>();
        outputs.forEach((topic, output) -> {
            int n = output.readRecordsToList().size();
            if (n > 0) {
                counts.put(topic, n);
                offsets.merge(topic, (long) n, Long::sum);
            }
        });
        return counts;
    }

    static Map<String, String> merged(Map<String, String> a, Map<String, String> b) {
        Map<String, String> out = new HashMap<>(a);
        out.putAll(b);
        return out;
    }
}
