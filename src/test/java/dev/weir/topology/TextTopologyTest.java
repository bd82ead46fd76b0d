package dev.weir.topology;

import dev.weir.avro.DecodedText;
import dev.weir.avro.TextEvent;
import dev.weir.avro.TextLayoutKind;
import dev.weir.avro.TokenBatch;
import dev.weir.serdes.ConfluentAvroSerde;
import dev.weir.serdes.InMemorySchemaRegistryClient;
import dev.weir.topology.text.TextModality;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static dev.weir.topology.DriverAssertions.header;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Text through the real topology on Kafka Streams' TopologyTestDriver: real log lines, exact decoding, bad input. */
class TextTopologyTest {

    static final ProcessorNames TEXT = new ProcessorNames("text", "events");

    final WeirConfig config = WeirConfig.of(Map.of(WeirConfig.BOOTSTRAP_SERVERS, "unused:9092",
            WeirConfig.MODALITIES, "text", TextModality.MAX_MESSAGE_BYTES, "4096"), Map.of());
    final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();

    TopologyTestDriver driver;
    TestInputTopic<String, TextEvent> events;
    TestInputTopic<byte[], byte[]> rawEvents;
    TestOutputTopic<String, TokenBatch> tokens;
    TestOutputTopic<String, DecodedText> decoded;
    TestOutputTopic<byte[], byte[]> deadLetters;

    @BeforeEach
    void startDriver(@TempDir Path stateDir) {
        WeirApp.registerSchemas(registry, config, List.of(new TextModality()));
        Properties props = WeirApp.streamsProperties(config);
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "weir-text-test");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        driver = new TopologyTestDriver(WeirTopology.build(config, registry), props);
        events = driver.createInputTopic("weir.text.events", new StringSerializer(),
                ConfluentAvroSerde.forValue(registry, TextEvent.class).serializer());
        rawEvents = driver.createInputTopic("weir.text.events", new ByteArraySerializer(), new ByteArraySerializer());
        tokens = driver.createOutputTopic("weir.text.tokens", new StringDeserializer(),
                ConfluentAvroSerde.forValue(registry, TokenBatch.class).deserializer());
        decoded = driver.createOutputTopic("weir.text.decoded", new StringDeserializer(),
                ConfluentAvroSerde.forValue(registry, DecodedText.class).deserializer());
        deadLetters = driver.createOutputTopic("weir.dead-letters", new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    @AfterEach
    void closeDriver() {
        driver.close();
    }

    @Test
    void logLinesBecomeTokenBatchesThatDecodeExactlyAndRepeatsAreSentAsReferences() throws Exception {
        // given the first 60 lines of a real package-manager log, one message each
        List<String> lines = Files.readAllLines(Path.of("samples/text/dpkg-excerpt.log"), StandardCharsets.UTF_8).subList(0, 60);
        for (int i = 0; i < lines.size(); i++) {
            events.pipeInput("dpkg", event("dpkg", i + 1, lines.get(i)));
        }

        // then every line decodes back exactly from the token topic alone
        List<String> out = decoded.readValuesToList().stream().map(DecodedText::getText).toList();
        assertEquals(lines, out);
        // and the batches carry real BPE ids, and after the first lines mostly template references
        List<TokenBatch> batches = tokens.readValuesToList();
        assertEquals(60, batches.size());
        assertEquals("bpe-cl100k_base", batches.get(0).getTokenizer().getId());
        long templated = batches.stream().filter(b -> ((dev.weir.avro.TextLayout) b.getLayout()).getKind() == TextLayoutKind.TEMPLATE).count();
        long emitted = batches.stream().mapToLong(b -> b.getTokens().size()).sum();
        long full = batches.stream().mapToLong(b -> b.getStats().getPositionsTotal()).sum();
        assertTrue(templated > 30, "templated " + templated);
        assertTrue(emitted < full / 2, emitted + " of " + full);
        assertEquals(60.0, DriverAssertions.metric(driver, "messages-tokenized-total", TEXT.tokenizer()));
        assertTrue(deadLetters.isEmpty());
    }

    @Test
    void invalidUtf8AndOversizedMessagesAreDeadLettersAndTheStreamGoesOn() {
        // given a message whose bytes on the wire are not UTF-8 (0xC3 0x28), one above the 4096-byte limit, then a good one
        byte[] framed = ConfluentAvroSerde.forValue(registry, TextEvent.class).serializer().serialize("weir.text.events",
                event("chat", 1, "caf\u00e9 ok"));
        int at = indexOf(framed, "\u00e9".getBytes(StandardCharsets.UTF_8));
        framed[at + 1] = 0x28; // C3 A9 (é) becomes C3 28: a lead byte without its continuation
        rawEvents.pipeInput("chat".getBytes(StandardCharsets.UTF_8), framed);
        events.pipeInput("chat", event("chat", 2, "x".repeat(5000)));
        events.pipeInput("chat", event("chat", 3, "still here"));
        events.pipeInput("chat", event("chat", 4, "a real U+FFFD (\ufffd) is just a character"));

        // then both are set aside with their reasons and the good message is decoded
        List<TestRecord<byte[], byte[]>> dead = deadLetters.readRecordsToList();
        assertEquals(List.of("invalid-media", "oversized"), dead.stream().map(r -> header(r, DeadLetterHeaders.REASON)).toList());
        assertTrue(header(dead.get(0), DeadLetterHeaders.MESSAGE).contains("not valid UTF-8"), header(dead.get(0), DeadLetterHeaders.MESSAGE));
        assertEquals(List.of("still here", "a real U+FFFD (\ufffd) is just a character"),
                decoded.readValuesToList().stream().map(DecodedText::getText).toList());
    }

    private static TextEvent event(String stream, long seq, String text) {
        return TextEvent.newBuilder().setStreamId(stream).setSeq(seq).setTimestamp(Instant.ofEpochMilli(1_000 * seq)).setText(text).build();
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }
}
