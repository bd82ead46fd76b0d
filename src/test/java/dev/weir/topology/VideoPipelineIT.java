package dev.weir.topology;

import dev.weir.avro.DecodedFrame;
import dev.weir.avro.PixelFormat;
import dev.weir.avro.TokenBatch;
import dev.weir.avro.VideoFrame;
import dev.weir.serdes.ConfluentAvroSerde;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole video path on a real KRaft broker and a real Apicurio registry: frames in, token batches
 * and decoded frames out (exactly-once, read_committed), bad records to the dead-letter topic, and
 * per-stream state that survives a restart of the application.
 */
class VideoPipelineIT {

    static final Duration WAIT = Duration.ofSeconds(90);

    static PipelineStack pipeline;

    @BeforeAll
    static void startStack(@TempDir Path dir) throws Exception {
        pipeline = PipelineStack.start(dir, Map.of(WeirConfig.APPLICATION_ID, "weir-it", WeirConfig.KERNEL_BACKEND, "jvm"));
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
    void framesBecomeTokensAndDecodedFramesAndBadRecordsAreSetAsideAcrossRestarts() throws Exception {
        WeirConfig config = config();
        TopicNames topics = config.topics();
        try (KafkaProducer<String, VideoFrame> frames = new KafkaProducer<>(producerConfig(), new StringSerializer(),
                ConfluentAvroSerde.forValue(pipeline.registry(), VideoFrame.class).serializer());
             KafkaProducer<byte[], byte[]> raw = new KafkaProducer<>(producerConfig(), new ByteArraySerializer(), new ByteArraySerializer());
             Outputs outputs = new Outputs(config)) {

            // given the application runs, and a stream sends three real frames plus two bad records
            try (WeirApp app = WeirApp.start(config)) {
                app.awaitRunning(WAIT);
                for (int n = 1; n <= 3; n++) {
                    frames.send(new ProducerRecord<>(topics.of("video").input(), "cam-it", SampleFrames.treeFrame("cam-it", n)));
                }
                frames.flush();
                // (both bad records through one producer, so their order in the partition is defined)
                byte[] key = "cam-it".getBytes(StandardCharsets.UTF_8);
                byte[] shortGray = ConfluentAvroSerde.forValue(pipeline.registry(), VideoFrame.class).serializer().serialize(topics.of("video").input(),
                        SampleFrames.frame("cam-it", 99, 320, 240, PixelFormat.GRAY8, new byte[320 * 239]));
                raw.send(new ProducerRecord<>(topics.of("video").input(), key, "garbage".getBytes(StandardCharsets.UTF_8)));
                raw.send(new ProducerRecord<>(topics.of("video").input(), key, shortGray));
                raw.flush();

                // then three token batches and three decoded frames arrive, committed, and two dead letters
                outputs.await(r -> outputs.decoded.size() >= 3 && outputs.deadLetters.size() >= 2 && outputs.tokenSeqs().size() >= 3);
                assertEquals(List.of(1L, 2L, 3L), outputs.tokenSeqs());
                assertEquals(List.of("not-avro", "invalid-media"), outputs.deadLetterReasons());
                assertArrayEquals("garbage".getBytes(StandardCharsets.UTF_8), outputs.deadLetters.get(0).value());
            }

            // when a static-camera stream has started, the application is restarted with its local state wiped
            // (so the per-stream state must come back from the changelog), and the stream goes on
            try (WeirApp app = WeirApp.start(config)) {
                app.awaitRunning(WAIT);
                for (int n = 1; n <= 2; n++) {
                    frames.send(new ProducerRecord<>(topics.of("video").input(), "cam-static", SampleFrames.coffeeFrame("cam-static", n)));
                }
                frames.flush();
                outputs.await(r -> outputs.decodedOf("cam-static").size() >= 2);
            }
            deleteRecursively(pipeline.stateDir());
            try (WeirApp app = WeirApp.start(config)) {
                app.awaitRunning(WAIT);
                for (int n = 4; n <= 5; n++) {
                    frames.send(new ProducerRecord<>(topics.of("video").input(), "cam-it", SampleFrames.treeFrame("cam-it", n)));
                }
                frames.send(new ProducerRecord<>(topics.of("video").input(), "cam-static", SampleFrames.coffeeFrame("cam-static", 3)));
                frames.flush();

                // then each frame is processed exactly once, in order, and decodes close to its original
                outputs.await(r -> outputs.decoded.size() >= 5 && outputs.decodedOf("cam-static").size() >= 3
                        && outputs.tokenSeqsOf("cam-it").size() >= 5 && outputs.tokenSeqsOf("cam-static").size() >= 3);
                assertEquals(List.of(1L, 2L, 3L, 4L, 5L), outputs.tokenSeqsOf("cam-it"));
                for (DecodedFrame f : outputs.decoded.values()) {
                    double psnr = SampleFrames.psnr(SampleFrames.treeRgb((int) f.getSeq()).rgb(), SampleFrames.bytes(f.getData()));
                    assertTrue(psnr > VideoTopologyTest.PSNR_FLOOR_DB, "frame " + f.getSeq() + ": " + psnr + " dB");
                }
                // and the static stream went on from its restored state: a delta that reuses cached tokens, not a keyframe
                TokenBatch afterRestart = outputs.tokens.stream()
                        .filter(b -> b.getStreamId().equals("cam-static") && b.getSeq() == 3).findFirst().orElseThrow();
                assertFalse(afterRestart.getKeyframe(), "restored encoder state: no keyframe needed");
                assertTrue(afterRestart.getReusedPositions().size() > 600, "reused " + afterRestart.getReusedPositions().size());
                DecodedFrame staticFrame = outputs.decodedOf("cam-static").get(3L);
                double psnr = SampleFrames.psnr(SampleFrames.coffeeRgb(3).rgb(), SampleFrames.bytes(staticFrame.getData()));
                assertTrue(psnr > 24.0, "restored decoder state: coffee frame 3 at " + psnr + " dB");
                assertEquals(2, outputs.deadLetters.size());
            }
        }
    }

    static void deleteRecursively(Path dir) throws java.io.IOException {
        if (java.nio.file.Files.exists(dir)) {
            try (var paths = java.nio.file.Files.walk(dir)) {
                for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    java.nio.file.Files.delete(p);
                }
            }
        }
    }

    static Map<String, Object> producerConfig() {
        return Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, pipeline.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 8 * 1024 * 1024);
    }

    /** A read_committed reader of the three output topics. */
    static final class Outputs implements AutoCloseable {
        final KafkaConsumer<byte[], byte[]> consumer;
        final TopicNames topics;
        final List<TokenBatch> tokens = new ArrayList<>();
        final Map<Long, DecodedFrame> decoded = new TreeMap<>();
        final Map<String, Map<Long, DecodedFrame>> decodedByStream = new TreeMap<>();
        final List<ConsumerRecord<byte[], byte[]>> deadLetters = new ArrayList<>();
        final ConfluentAvroSerde<TokenBatch> tokenSerde = ConfluentAvroSerde.forValue(pipeline.registry(), TokenBatch.class);
        final ConfluentAvroSerde<DecodedFrame> decodedSerde = ConfluentAvroSerde.forValue(pipeline.registry(), DecodedFrame.class);

        Outputs(WeirConfig config) {
            topics = config.topics();
            consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, pipeline.bootstrapServers(),
                    ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                    ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 8 * 1024 * 1024), new ByteArrayDeserializer(), new ByteArrayDeserializer());
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : List.of(topics.of("video").tokens(), topics.of("video").decoded(), topics.deadLetters())) {
                consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
        }

        void await(Predicate<Outputs> done) {
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (!done.test(this)) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("outputs did not arrive in " + WAIT + ": tokens " + tokenSeqs() + ", decoded "
                            + decoded.keySet() + ", dead letters " + deadLetterReasons());
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.topic().equals(topics.of("video").tokens())) {
                        tokens.add(tokenSerde.deserializer().deserialize(r.topic(), r.value()));
                    } else if (r.topic().equals(topics.of("video").decoded())) {
                        DecodedFrame f = decodedSerde.deserializer().deserialize(r.topic(), r.value());
                        assertEquals(null, decodedByStream.computeIfAbsent(f.getStreamId(), s -> new TreeMap<>()).put(f.getSeq(), f),
                                f.getStreamId() + " frame " + f.getSeq() + " decoded twice");
                        if (f.getStreamId().equals("cam-it")) {
                            decoded.put(f.getSeq(), f);
                        }
                    } else {
                        deadLetters.add(r);
                    }
                }
            }
        }

        List<Long> tokenSeqs() {
            return tokenSeqsOf("cam-it");
        }

        List<Long> tokenSeqsOf(String streamId) {
            return tokens.stream().filter(b -> b.getStreamId().equals(streamId)).map(TokenBatch::getSeq).toList();
        }

        Map<Long, DecodedFrame> decodedOf(String streamId) {
            return decodedByStream.getOrDefault(streamId, Map.of());
        }

        List<String> deadLetterReasons() {
            return deadLetters.stream().map(r -> new String(r.headers().lastHeader(DeadLetterHeaders.REASON).value(), StandardCharsets.UTF_8)).toList();
        }

        @Override
        public void close() {
            consumer.close();
        }
    }
}
