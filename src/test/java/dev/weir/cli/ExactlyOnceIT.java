package dev.weir.cli;

import dev.weir.serdes.ConfluentAvroSerde;
import dev.weir.serdes.RestSchemaRegistryClient;
import dev.weir.serdes.SchemaRegistryClient;
import dev.weir.stack.LocalStack;
import dev.weir.topology.TopicNames;
import dev.weir.topology.TopicSetup;
import dev.weir.topology.WeirApp;
import dev.weir.topology.WeirConfig;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Exactly-once under crashes and scale-out, as Kafka's own EOS system tests prove it: {@code weir run} as its own
 * OS process on a real KRaft broker and Apicurio registry, fed interleaved video, audio and text streams at a
 * steady rate, killed with SIGKILL in the middle of its work (or stopped, or joined by a second instance), and
 * restarted with the same application id. A {@code read_committed} consumer then finds, for every input, exactly
 * one token batch and one decoded output, per stream in seq order, and the very bytes an uninterrupted run
 * (another application on the same inputs, in this JVM) wrote.
 */
class ExactlyOnceIT {

    static final Duration WAIT = Duration.ofSeconds(180);
    /** Events per second the feeder produces: slow enough that every kill lands on work in progress. */
    static final int RATE = 8;

    @TempDir(cleanup = CleanupMode.ON_SUCCESS) // the processes' logs stay when a test fails
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

    @ParameterizedTest(name = "{0} stream thread(s)")
    @ValueSource(ints = {1, 2})
    void killedTwiceInTheMiddleItStillWritesEachOutputOnceAndTheBytesOfAnUninterruptedRun(int threads) throws Exception {
        // given an application fed six interleaved streams, and an uninterrupted reference beside it
        String app = "eos-crash-" + threads;
        Map<String, String> settings = settings(app, "state-" + app);
        settings.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, String.valueOf(threads));
        MixedMedia media = MixedMedia.of(app, 2, 24, 40);
        int total = media.events().size();
        try (Reference reference = Reference.start(settings);
             CommittedOutputs outputs = outputs(settings);
             WeirProcess first = WeirProcess.run(dir, app + "-1", settings).awaitRunning();
             Feeder feeder = Feeder.start(settings, media)) {
            // when weir run is killed with a transaction open once a quarter of the outputs are out, restarted on the
            // same state directory,
            outputs.awaitOpenTransaction(total / 4, stack.bootstrapServers(), WAIT);
            first.kill();
            // killed again while it works through what came in meanwhile, and restarted with its local state wiped
            try (WeirProcess second = WeirProcess.run(dir, app + "-2", settings).awaitRunning()) {
                outputs.awaitOpenTransaction(outputs.decodedCount() + 12, stack.bootstrapServers(), WAIT);
                second.kill();
            }
            assertTrue(outputs.decodedCount() < total, "the second kill came after all the work: nothing was interrupted");
            deleteRecursively(Path.of(settings.get(StreamsConfig.STATE_DIR_CONFIG)));
            try (WeirProcess third = WeirProcess.run(dir, app + "-3", settings)) {
                outputs.await(o -> o.decodedCount() >= total, WAIT).drain(Duration.ofSeconds(2));
                reference.outputs.await(o -> o.decodedCount() >= total, WAIT);

                // then every event gave exactly one token batch and one decoded output, in order, and the same bytes
                assertExactlyOnceAndIdentical(media, outputs, reference.outputs);
                // and the kills did interrupt transactions: their batches were written, aborted and written again
                long aborted = outputs.abortedTokenBatches(stack.bootstrapServers());
                System.out.printf("%s: %d events, %d token batches aborted by the kills%n", app, total, aborted);
                assertTrue(aborted > 0, "no transaction was open when the process was killed");
                assertEquals(143, third.terminate(Duration.ofSeconds(45)), third.output());
            }
        }
    }

    @Test
    void streamsMoveToTheOtherInstanceOnSigtermAndOnSigkillWithStandbyReplicasAndStayExactlyOnce() throws Exception {
        // given two instances of one application (one standby replica per task), fed six interleaved streams
        String app = "eos-scale";
        Map<String, String> a = settings(app, "state-" + app + "-a");
        a.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, "1");
        Map<String, String> b = new TreeMap<>(a);
        b.put(StreamsConfig.STATE_DIR_CONFIG, dir.resolve("state-" + app + "-b").toString());
        MixedMedia media = MixedMedia.of(app, 2, 24, 40);
        int total = media.events().size();
        try (Reference reference = Reference.start(a);
             CommittedOutputs outputs = outputs(a)) {
            try (WeirProcess first = WeirProcess.run(dir, app + "-a1", a).awaitRunning();
                 WeirProcess other = WeirProcess.run(dir, app + "-b", b).awaitRunning()) {
                awaitMembers(app, 2);
                // (the last third waits until both are back, so that the SIGKILL comes while there is work)
                try (Feeder feeder = Feeder.startHolding(a, media, 2 * total / 3)) {
                    // when the first stops on SIGTERM a third of the way, and comes back
                    outputs.await(o -> o.decodedCount() >= total / 3, WAIT);
                    assertEquals(143, first.terminate(Duration.ofSeconds(45)), first.output());
                    int afterStop = outputs.decodedCount();
                    outputs.await(o -> o.decodedCount() >= afterStop + 6, WAIT); // the other one carries on alone
                    try (WeirProcess again = WeirProcess.run(dir, app + "-a2", a).awaitRunning()) {
                        awaitMembers(app, 2);
                        // and the other is killed with SIGKILL two thirds of the way, while the last third comes in
                        outputs.await(o -> o.decodedCount() >= 2 * total / 3, WAIT);
                        feeder.release();
                        // (while the feeder still has most of the last third to send: the crash test above is the
                        // one that waits for an open transaction; here the rebalances commit often)
                        outputs.await(o -> o.decodedCount() >= 2 * total / 3 + 6, WAIT);
                        other.kill();
                        assertTrue(outputs.decodedCount() < total, "the kill came after all the work: nothing was interrupted");
                        outputs.await(o -> o.decodedCount() >= total, WAIT).drain(Duration.ofSeconds(2));
                        reference.outputs.await(o -> o.decodedCount() >= total, WAIT);

                        // then the remaining instance finished every stream, exactly once, with the bytes of an uninterrupted run
                        assertExactlyOnceAndIdentical(media, outputs, reference.outputs);
                    }
                }
            }
        }
    }

    /** Every input once in the tokens and decoded outputs, per stream in seq order; the same bytes as the reference; no dead letter. */
    static void assertExactlyOnceAndIdentical(MixedMedia media, CommittedOutputs outputs, CommittedOutputs reference) {
        Map<String, java.util.List<Long>> produced = media.seqsByStream();
        assertEquals(produced, outputs.tokenSeqs(), "token batches per stream");
        assertEquals(produced, outputs.decodedSeqs(), "decoded outputs per stream");
        assertEquals(produced, reference.decodedSeqs(), "the reference's decoded outputs");
        assertEquals(reference.decoded, outputs.decoded, "decoded bytes differ from the uninterrupted run");
        assertEquals(reference.tokensWithoutTiming(), outputs.tokensWithoutTiming(), "token batches differ from the uninterrupted run");
        assertEquals(0, outputs.deadLetters.size(), "dead letters");
    }

    // --- the cluster, as the test sees it

    /** Settings of one application with topics of its own (created here): inputs APP.MODALITY.INPUT, outputs likewise. */
    static Map<String, String> settings(String app, String stateName) throws Exception {
        Map<String, String> s = new TreeMap<>();
        for (String[] topic : new String[][] {{"video", "frames"}, {"audio", "chunks"}, {"text", "events"}}) {
            for (String role : new String[] {topic[1], "tokens", "decoded"}) {
                s.put(WeirConfig.TOPIC_PREFIX + topic[0] + "." + role, app + "." + topic[0] + "." + role);
            }
        }
        s.put(WeirConfig.TOPIC_DEAD_LETTERS, app + ".dead-letters");
        s.put(WeirConfig.BOOTSTRAP_SERVERS, stack.bootstrapServers());
        s.put(WeirConfig.SCHEMA_REGISTRY_URL, stack.registryUrl());
        s.put(WeirConfig.APPLICATION_ID, app);
        s.put(WeirConfig.KERNEL_BACKEND, "jvm");
        s.put(StreamsConfig.STATE_DIR_CONFIG, dir.resolve(stateName).toString());
        s.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "500"); // more work in each open transaction when the kill comes
        createTopics(s);
        return s;
    }

    static void createTopics(Map<String, String> settings) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
            TopicSetup.createMissing(admin, WeirConfig.of(settings, Map.of()));
        }
    }

    static void awaitMembers(String group, int members) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (admin.describeConsumerGroups(java.util.List.of(group)).all().get().get(group).members().size() < members) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("group " + group + " never had " + members + " members");
                }
                Thread.sleep(200);
            }
        }
    }

    static CommittedOutputs outputs(Map<String, String> settings) {
        return new CommittedOutputs(stack.bootstrapServers(), registry, WeirConfig.of(settings, Map.of()).topics());
    }

    /**
     * The uninterrupted run: another application (its own id, state and output topics) on the same inputs, in this
     * JVM, never stopped.
     */
    record Reference(WeirApp app, CommittedOutputs outputs) implements AutoCloseable {

        static Reference start(Map<String, String> settings) throws Exception {
            String app = settings.get(WeirConfig.APPLICATION_ID) + "-reference";
            Map<String, String> s = new TreeMap<>(settings);
            s.put(WeirConfig.APPLICATION_ID, app);
            s.put(StreamsConfig.STATE_DIR_CONFIG, dir.resolve("state-" + app).toString());
            s.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, "1");
            s.remove(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG);
            for (String modality : new String[] {"video", "audio", "text"}) {
                for (String role : new String[] {"tokens", "decoded"}) {
                    s.put(WeirConfig.TOPIC_PREFIX + modality + "." + role, app + "." + modality + "." + role);
                }
            }
            s.put(WeirConfig.TOPIC_DEAD_LETTERS, app + ".dead-letters");
            createTopics(s);
            WeirApp weir = WeirApp.start(WeirConfig.of(s, Map.of()));
            weir.awaitRunning(WAIT);
            return new Reference(weir, ExactlyOnceIT.outputs(s));
        }

        @Override
        public void close() {
            outputs.close();
            app.close();
        }
    }

    /** Produces the workload at {@link #RATE} events per second on its own thread, with an idempotent producer. */
    static final class Feeder implements AutoCloseable {
        private final Thread thread;
        private final AtomicInteger sent = new AtomicInteger();
        private final int holdAt;
        private final java.util.concurrent.CountDownLatch released = new java.util.concurrent.CountDownLatch(1);
        private volatile Exception failure;

        private Feeder(Map<String, String> settings, MixedMedia media, int holdAt) {
            TopicNames topics = WeirConfig.of(settings, Map.of()).topics();
            this.holdAt = holdAt;
            thread = Thread.ofPlatform().name("feeder").start(() -> feed(topics, media));
        }

        /** Feeds every event at {@link #RATE} a second. */
        static Feeder start(Map<String, String> settings, MixedMedia media) {
            return new Feeder(settings, media, Integer.MAX_VALUE);
        }

        /** Feeds the first {@code holdAt} events, then waits for {@link #release()} before the rest (at the same rate). */
        static Feeder startHolding(Map<String, String> settings, MixedMedia media, int holdAt) {
            return new Feeder(settings, media, holdAt);
        }

        /** Lets a holding feeder go on. */
        void release() {
            released.countDown();
        }

        private void feed(TopicNames topics, MixedMedia media) {
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                    stack.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true),
                    new ByteArraySerializer(), new ByteArraySerializer())) {
                long start = System.nanoTime();
                for (MixedMedia.Event e : media.events()) {
                    if (sent.get() == holdAt) {
                        released.await();
                        start = System.nanoTime() - holdAt * 1_000_000_000L / RATE;
                    }
                    long due = start + sent.get() * 1_000_000_000L / RATE;
                    Thread.sleep(Math.max(0, (due - System.nanoTime()) / 1_000_000));
                    String topic = e.topic(topics);
                    @SuppressWarnings("unchecked")
                    var serde = ConfluentAvroSerde.forValue(registry, (Class<SpecificRecord>) e.value().getClass());
                    producer.send(new ProducerRecord<>(topic, e.streamId().getBytes(StandardCharsets.UTF_8),
                            serde.serializer().serialize(topic, e.value())));
                    sent.incrementAndGet();
                }
                producer.flush();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                failure = e;
            }
        }

        @Override
        public void close() throws Exception {
            thread.interrupt();
            thread.join();
            if (failure != null) {
                throw failure;
            }
        }
    }

    static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(path)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
