package dev.weir.topology;

import dev.weir.avro.DecodedText;
import dev.weir.avro.TextEvent;
import dev.weir.avro.TextLayoutKind;
import dev.weir.avro.TokenBatch;
import dev.weir.serdes.ConfluentAvroSerde;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * Text through a real broker and registry: log lines in, token batches and exact text out (read_committed),
 * and the cache and templates restored from the changelogs after a restart that wiped the local state.
 */
class TextPipelineIT {

    static final Duration WAIT = Duration.ofSeconds(90);

    static PipelineStack pipeline;

    @BeforeAll
    static void startStack(@TempDir Path dir) throws Exception {
        pipeline = PipelineStack.start(dir, Map.of(WeirConfig.APPLICATION_ID, "weir-text-it", WeirConfig.MODALITIES, "text"));
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

    @Test
    void logLinesComeBackExactlyAndTheTemplatesSurviveARestartWithWipedState() throws Exception {
        List<String> lines = Files.readAllLines(Path.of("samples/text/dpkg-excerpt.log"), StandardCharsets.UTF_8).subList(0, 80);
        WeirConfig config = config();
        try (KafkaProducer<String, TextEvent> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                pipeline.bootstrapServers()), new StringSerializer(), ConfluentAvroSerde.forValue(pipeline.registry(), TextEvent.class).serializer());
             ModalityOutputs<DecodedText> outputs = new ModalityOutputs<>(pipeline, "text", DecodedText.class, DecodedText::getSeq,
                     DecodedText::getText, WAIT)) {
            // given the first 40 lines went through the application
            try (WeirApp app = WeirApp.start(config)) {
                app.awaitRunning(WAIT);
                send(producer, lines, 0, 40);
                outputs.await(() -> outputs.decoded.size() >= 40);
            }
            // when the application restarts with its local state wiped, and the next 40 lines come
            VideoPipelineIT.deleteRecursively(pipeline.stateDir());
            try (WeirApp app = WeirApp.start(config)) {
                app.awaitRunning(WAIT);
                send(producer, lines, 40, 80);
                outputs.await(() -> outputs.decoded.size() >= 80 && outputs.batches.size() >= 80); // both topics read
            }

            // then every line came back exactly, once, in order
            assertEquals(lines, List.copyOf(outputs.decoded.values()));
            assertEquals(80, outputs.batches.size());
            // and the first line after the restart was coded against templates restored from the changelog
            TokenBatch afterRestart = outputs.batches.get(40);
            assertEquals(40L, afterRestart.getBatchSeq());
            assertNotEquals(TextLayoutKind.LITERAL, ((dev.weir.avro.TextLayout) afterRestart.getLayout()).getKind());
        }
    }

    private static void send(KafkaProducer<String, TextEvent> producer, List<String> lines, int from, int to) {
        for (int i = from; i < to; i++) {
            producer.send(new ProducerRecord<>("weir.text.events", "dpkg", TextEvent.newBuilder().setStreamId("dpkg")
                    .setSeq(i).setTimestamp(Instant.ofEpochMilli(1_000_000 + i)).setText(lines.get(i)).build()));
        }
        producer.flush();
    }
}
