package dev.weir.cli;

import dev.weir.topology.video.VideoModality;
import dev.weir.avro.DecodedFrame;
import dev.weir.avro.VideoFrame;
import dev.weir.serdes.ConfluentAvroSerde;
import dev.weir.serdes.RestSchemaRegistryClient;
import dev.weir.serdes.SchemaRegistryClient;
import dev.weir.stack.LocalStack;
import dev.weir.topology.DeadLetterHeaders;
import dev.weir.topology.TopicNames;
import dev.weir.topology.TopicSetup;
import dev.weir.topology.WeirConfig;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
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
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code weir run} as an operator runs it: its own OS process against a real KRaft broker and Apicurio
 * registry. It processes frames end to end, shares the work with a second process of the same application
 * id, survives poison pills, stops cleanly and quickly on SIGTERM, and is back quickly after a SIGKILL.
 */
class WeirRunProcessIT {

    static final Duration WAIT = Duration.ofSeconds(120);
    /** SIGTERM to exit: the close timeout of the stream threads plus the JVM's own shutdown. */
    static final Duration STOP_BOUND = Duration.ofSeconds(45);

    @TempDir
    static Path dir;
    static LocalStack stack;
    static SchemaRegistryClient registry;

    @BeforeAll
    static void startStack() throws Exception {
        stack = LocalStack.start(dir.resolve("stack"));
        registry = RestSchemaRegistryClient.forUrl(stack.registryUrl());
    }

    @AfterAll
    static void stopStack() {
        if (registry != null) {
            registry.close();
        }
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void weirRunProcessesFramesEndToEndAndStopsCleanlyOnSigterm() throws Exception {
        // given weir run, started as its own process
        Map<String, String> settings = settings("weir-single", "single");
        try (WeirProcess weir = WeirProcess.run(dir, "single", settings).awaitRunning();
             Outputs outputs = new Outputs(settings)) {

            // when a camera sends three real frames
            produceFrames(outputs.topics, "proc-cam", 1, 3);

            // then their decoded frames arrive, committed
            outputs.await(o -> o.decodedSeqs("proc-cam").size() >= 3);
            assertEquals(List.of(1L, 2L, 3L), outputs.decodedSeqs("proc-cam"));

            // when it is sent SIGTERM
            long t0 = System.nanoTime();
            int exit = weir.terminate(STOP_BOUND);

            // then it stops cleanly, in bounded time (143 = the JVM's status on SIGTERM)
            assertTrue(exit == 143 || exit == 0, "exit status " + exit + ":\n" + weir.output());
            assertTrue(weir.output().contains("weir run: stopped cleanly"), weir.output());
            System.out.printf("weir run: SIGTERM to exit in %.1f s%n", (System.nanoTime() - t0) / 1e9);
        }
    }

    @Test
    void twoProcessesOfOneApplicationShareTheStreamsAndEachFrameIsDecodedOnce() throws Exception {
        // given two weir run processes with the same application id
        Map<String, String> settings1 = settings("weir-pair", "pair-1");
        try (WeirProcess first = WeirProcess.run(dir, "pair-1", settings1);
             WeirProcess second = WeirProcess.run(dir, "pair-2", settings("weir-pair", "pair-2"));
             Outputs outputs = new Outputs(settings1)) {
            first.awaitRunning();
            second.awaitRunning();
            awaitMembers("weir-pair", 2);

            // when six cameras send two frames each (their keys spread over the three partitions)
            List<String> cameras = List.of("pair-a", "pair-b", "pair-c", "pair-d", "pair-e", "pair-f");
            for (String camera : cameras) {
                produceFrames(outputs.topics, camera, 1, 2);
            }

            // then every frame is decoded, once (Outputs fails on a duplicate)
            outputs.await(o -> cameras.stream().allMatch(c -> o.decodedSeqs(c).size() >= 2));
            for (String camera : cameras) {
                assertEquals(List.of(1L, 2L), outputs.decodedSeqs(camera), camera);
            }
            // and both processes hold tasks (once the group is stable: during a rebalance the assignments read empty)
            ConsumerGroupDescription group = awaitStableAssignment("weir-pair");
            assertEquals(2, group.members().size(), group.toString());
            assertTrue(group.members().stream().allMatch(m -> !m.assignment().topicPartitions().isEmpty()), group.toString());

            // and both stop cleanly on SIGTERM
            int exitFirst = first.terminate(STOP_BOUND);
            int exitSecond = second.terminate(STOP_BOUND);
            assertTrue(first.output().contains("stopped cleanly") && (exitFirst == 143 || exitFirst == 0), first.output());
            assertTrue(second.output().contains("stopped cleanly") && (exitSecond == 143 || exitSecond == 0), second.output());
        }
    }

    @Test
    void oversizedPoisonPillsAreSetAsideAndTheFramesBehindThemAreProcessed() throws Exception {
        // given weir run
        Map<String, String> settings = settings("weir-poison", "poison");
        try (WeirProcess weir = WeirProcess.run(dir, "poison", settings).awaitRunning();
             Outputs outputs = new Outputs(settings);
             KafkaProducer<byte[], byte[]> plain = new KafkaProducer<>(bigRecordProducer("none"), new ByteArraySerializer(), new ByteArraySerializer());
             KafkaProducer<byte[], byte[]> lz4 = new KafkaProducer<>(bigRecordProducer("lz4"), new ByteArraySerializer(), new ByteArraySerializer())) {
            String frames = outputs.topics.of("video").input();
            byte[] key = "poison-cam".getBytes(StandardCharsets.UTF_8);

            // when a camera's partition holds (a) 33,553,408 bytes of non-Avro noise, just inside the broker's 32 MiB,
            byte[] noise = new byte[33_553_408];
            new Random(9).nextBytes(noise);
            plain.send(new ProducerRecord<>(frames, key, noise)).get();
            produceFrames(outputs.topics, "poison-cam", 1, 1);
            // and (b) 40,000,000 zero bytes sent lz4-compressed (the broker stores them compressed), then more frames
            lz4.send(new ProducerRecord<>(frames, key, new byte[40_000_000])).get();
            produceFrames(outputs.topics, "poison-cam", 2, 3);

            // then every good frame behind them is decoded
            outputs.await(o -> o.decodedSeqs("poison-cam").size() >= 3 && o.deadLetters.size() >= 2);
            assertEquals(List.of(1L, 2L, 3L), outputs.decodedSeqs("poison-cam"));

            // and both pills are dead letters that fit the topic: a prefix of the value, its original size, the reason
            ConsumerRecord<byte[], byte[]> a = outputs.deadLetters.get(0);
            ConsumerRecord<byte[], byte[]> b = outputs.deadLetters.get(1);
            assertEquals("not-avro", header(a, DeadLetterHeaders.REASON));
            assertEquals("33553408", header(a, DeadLetterHeaders.VALUE_BYTES));
            assertEquals("prefix", header(a, DeadLetterHeaders.VALUE_TRUNCATED));
            assertTrue(a.value().length <= 64 * 1024, "prefix of " + a.value().length + " bytes");
            assertEquals("oversized", header(b, DeadLetterHeaders.REASON));
            assertEquals("40000000", header(b, DeadLetterHeaders.VALUE_BYTES));
            // and the application is still up, never having lost a stream thread
            assertTrue(weir.process.isAlive(), weir.output());
            assertTrue(!weir.output().contains("stream thread failed"), weir.output());
        }
    }

    @Test
    void afterASigkillARestartedInstanceIsBackWithinSeconds() throws Exception {
        // given weir run has processed a frame, then is killed with SIGKILL (no commit, no leaving the group)
        Map<String, String> settings = settings("weir-restart", "restart");
        try (Outputs outputs = new Outputs(settings)) {
            try (WeirProcess weir = WeirProcess.run(dir, "restart", settings).awaitRunning()) {
                produceFrames(outputs.topics, "restart-cam", 1, 1);
                outputs.await(o -> o.decodedSeqs("restart-cam").size() >= 1);
                weir.kill();
            }

            // when it is started again on the same state directory, and the camera goes on
            try (WeirProcess again = WeirProcess.run(dir, "restart-again", settings)) {
                produceFrames(outputs.topics, "restart-cam", 2, 2);
                outputs.await(o -> o.decodedSeqs("restart-cam").size() >= 2);
                double seconds = (System.nanoTime() - again.startedNanos) / 1e9;

                // then the frame is decoded, once, and the restart was quick (static membership: no session to wait out)
                assertEquals(List.of(1L, 2L), outputs.decodedSeqs("restart-cam"));
                System.out.printf("weir run: restart after SIGKILL to first output in %.1f s (JVM start included)%n", seconds);
                assertTrue(again.output().contains("is RUNNING"), again.output());
            }
        }
    }

    @Test
    void startUpProblemsAreOneClearLineAndANonZeroExit() throws Exception {
        String bootstrap = stack.bootstrapServers();
        String registryUrl = stack.registryUrl();
        String state = dir.resolve("state-startup").toString();
        try (Admin admin = admin()) { // Weir's default topics, so that each case below has one thing wrong
            TopicSetup.createMissing(admin, WeirConfig.of(Map.of(WeirConfig.BOOTSTRAP_SERVERS, bootstrap), Map.of()));
        }
        Map<String, String[]> cases = new java.util.LinkedHashMap<>();
        cases.put("cannot reach the Kafka brokers at 127.0.0.1:1 within 5 s", new String[] {"run", "-b", "127.0.0.1:1", "-r", registryUrl,
                "-D", "state.dir=" + state, "-D", WeirConfig.STARTUP_TIMEOUT_MS + "=5000"});
        cases.put("topic no-such-frames does not exist", new String[] {"run", "-b", bootstrap, "-r", registryUrl, "-D", "state.dir=" + state,
                "-D", VideoModality.TOPIC_FRAMES + "=no-such-frames"});
        cases.put("cannot register Weir's schemas at http://127.0.0.1:1", new String[] {"run", "-b", bootstrap, "-r", "http://127.0.0.1:1",
                "-D", "state.dir=" + state, "-D", "max.retries=0"});
        cases.put("weir.kernels.backend=opencl", new String[] {"run", "-b", bootstrap, "-r", registryUrl, "-D", "state.dir=" + state,
                "-D", WeirConfig.KERNEL_BACKEND + "=opencl"});
        cases.put("topic no-such-topic does not exist", new String[] {"produce", "video", "--input", "samples/video/tree", "--stream", "x",
                "-b", bootstrap, "-r", registryUrl, "-D", VideoModality.TOPIC_FRAMES + "=no-such-topic"});
        int n = 0;
        for (var c : cases.entrySet()) {
            // when weir is started with one thing wrong (for OpenCL: a device filter that matches no device)
            WeirProcess weir = WeirProcess.start(dir, "startup-" + n++, Map.of("WEIR_OPENCL_DEVICE", "no-such-device-anywhere"), c.getValue());
            int exit = weir.awaitExit(Duration.ofSeconds(90));
            String output = weir.output();

            // then it exits non-zero with one line that says what is wrong, and no stack trace
            assertEquals(1, exit, output);
            List<String> errors = output.lines().filter(l -> l.startsWith("weir ")).toList();
            assertEquals(1, errors.size(), output);
            assertTrue(errors.get(0).contains(c.getKey()), "expected '" + c.getKey() + "' in: " + output);
            assertTrue(!output.contains("\tat ") && !output.contains("Exception in thread"), output);
            assertTrue(!output.contains("could not be established"), "reconnect warnings bury the line:\n" + output);
        }
    }

    // --- the cluster, as the test sees it

    /**
     * Settings of one application of this test, with topics of its own (created here), so that no application
     * reads another test's frames.
     */
    static Map<String, String> settings(String applicationId, String stateName) throws Exception {
        Map<String, String> s = new TreeMap<>();
        s.put(VideoModality.TOPIC_FRAMES, applicationId + ".frames");
        s.put(VideoModality.TOPIC_TOKENS, applicationId + ".tokens");
        s.put(VideoModality.TOPIC_DECODED, applicationId + ".decoded");
        s.put(WeirConfig.TOPIC_DEAD_LETTERS, applicationId + ".dead-letters");
        s.put(WeirConfig.BOOTSTRAP_SERVERS, stack.bootstrapServers());
        s.put(WeirConfig.SCHEMA_REGISTRY_URL, stack.registryUrl());
        s.put(WeirConfig.APPLICATION_ID, applicationId);
        s.put(WeirConfig.KERNEL_BACKEND, "jvm");
        s.put(StreamsConfig.STATE_DIR_CONFIG, dir.resolve("state-" + stateName).toString());
        s.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "100");
        try (Admin admin = admin()) {
            TopicSetup.createMissing(admin, WeirConfig.of(s, Map.of()));
        }
        return s;
    }

    static Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()));
    }

    static ConsumerGroupDescription describeGroup(String group) throws Exception {
        try (Admin admin = admin()) {
            return admin.describeConsumerGroups(List.of(group)).all().get().get(group);
        }
    }

    static void awaitMembers(String group, int members) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (describeGroup(group).members().size() < members) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("group " + group + " never had " + members + " members: " + describeGroup(group));
            }
            Thread.sleep(200);
        }
    }

    /** The group once it is stable with every member assigned something, or as last seen when {@link #WAIT} runs out. */
    static ConsumerGroupDescription awaitStableAssignment(String group) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        ConsumerGroupDescription seen = describeGroup(group);
        while (!(seen.groupState() == GroupState.STABLE
                && seen.members().stream().allMatch(m -> !m.assignment().topicPartitions().isEmpty()))
                && System.nanoTime() < deadline) {
            Thread.sleep(200);
            seen = describeGroup(group);
        }
        return seen;
    }

    static void produceFrames(TopicNames topics, String streamId, int fromSeq, int toSeq) throws Exception {
        List<VideoFrame> frames = MediaFiles.videoFrames(Path.of("samples/video/tree"), streamId, toSeq, 15);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(bigRecordProducer("lz4"), new ByteArraySerializer(), new ByteArraySerializer())) {
            var serializer = ConfluentAvroSerde.forValue(registry, VideoFrame.class).serializer();
            for (VideoFrame frame : frames) {
                frame.setSeq(frame.getSeq() + 1); // MediaFiles numbers from 0; the tests count frames from 1
                if (frame.getSeq() >= fromSeq && frame.getSeq() <= toSeq) {
                    producer.send(new ProducerRecord<>(topics.of("video").input(), streamId.getBytes(StandardCharsets.UTF_8),
                            serializer.serialize(topics.of("video").input(), frame))).get();
                }
            }
        }
    }

    static Map<String, Object> bigRecordProducer(String compression) {
        return Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 48 * 1024 * 1024, ProducerConfig.BUFFER_MEMORY_CONFIG, 128L * 1024 * 1024,
                ProducerConfig.COMPRESSION_TYPE_CONFIG, compression, ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    }

    static String header(ConsumerRecord<byte[], byte[]> record, String key) {
        Header h = record.headers().lastHeader(key);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    /** A read_committed reader of the decoded and dead-letter topics from their beginning; a frame decoded twice fails the test. */
    static final class Outputs implements AutoCloseable {
        final KafkaConsumer<byte[], byte[]> consumer;
        final Map<String, Map<Long, DecodedFrame>> decoded = new TreeMap<>();
        final List<ConsumerRecord<byte[], byte[]>> deadLetters = new ArrayList<>();
        final ConfluentAvroSerde<DecodedFrame> serde = ConfluentAvroSerde.forValue(registry, DecodedFrame.class);
        final TopicNames topics;

        Outputs(Map<String, String> settings) {
            topics = WeirConfig.of(settings, Map.of()).topics();
            consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                    ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                    ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 40 * 1024 * 1024), new ByteArrayDeserializer(), new ByteArrayDeserializer());
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : List.of(topics.of("video").decoded(), topics.deadLetters())) {
                consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);
        }

        void await(Predicate<Outputs> done) {
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (!done.test(this)) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("outputs did not arrive in " + WAIT + ": decoded " + decoded.keySet() + ", dead letters " + deadLetters.size());
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.topic().equals(topics.deadLetters())) {
                        deadLetters.add(r);
                        continue;
                    }
                    DecodedFrame f = serde.deserializer().deserialize(r.topic(), r.value());
                    DecodedFrame before = decoded.computeIfAbsent(f.getStreamId(), s -> new TreeMap<>()).put(f.getSeq(), f);
                    assertEquals(null, before, f.getStreamId() + " frame " + f.getSeq() + " decoded twice");
                }
            }
        }

        List<Long> decodedSeqs(String streamId) {
            return List.copyOf(decoded.getOrDefault(streamId, Map.of()).keySet());
        }

        @Override
        public void close() {
            consumer.close();
        }
    }
}
