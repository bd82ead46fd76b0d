package dev.weir.cli;

import dev.weir.stack.LocalStack;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code weir bench e2e} and {@code weir bench soak} on the real broker and registry, small: the reports are
 * whole and consistent (the figures themselves are the benchmark's to tell, not a test's), and the snapshot
 * stores' cache keeps a backlog's changelog to a fraction of its units.
 */
class BenchIT {

    @TempDir
    static Path dir;
    static LocalStack stack;
    static BenchWorkload workload;

    @BeforeAll
    static void startStack() throws Exception {
        stack = LocalStack.start(dir.resolve("stack"));
        workload = BenchWorkload.load(Path.of("samples"));
    }

    @AfterAll
    static void stopStack() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void e2eMeasuresEveryModalityAgainstItsCodecAloneAndCountsTheBrokerBytes() throws Exception {
        // given a small run of every modality, two streams each
        var options = new EndToEndBenchmark.Options(List.of("video", "audio", "text"), 2,
                Map.of("video", 8, "audio", 8, "text", 40), 0.5, "jvm", Map.of(), Duration.ofMinutes(2));
        EndToEndBenchmark bench = new EndToEndBenchmark(target("state"), workload);

        // when it runs
        EndToEndReport report = bench.run(options, "test stack", (m, phase) -> { });

        // then each modality has both throughputs, their ratio, latencies of every steady unit and its bytes
        assertEquals(List.of("video", "audio", "text"), report.modalities().stream().map(EndToEndReport.Result::modality).toList());
        assertEquals(100, report.commitIntervalMs(), "exactly-once's default commit interval");
        for (EndToEndReport.Result r : report.modalities()) {
            int perStream = options.units().get(r.modality());
            assertEquals(2 * perStream, r.units(), r.modality());
            assertTrue(r.codecAlonePerSecond() > 0 && r.endToEndPerSecond() > 0, r.toString());
            assertEquals(r.endToEndPerSecond() / r.codecAlonePerSecond(), r.ratio(), 1e-9, r.modality());
            assertEquals(2 * Math.max(8, perStream / 2), r.latency().count(), "every steady unit's latency: " + r);
            assertTrue(r.latency().p50Ms() > 0 && r.latency().p50Ms() <= r.latency().p99Ms() && r.latency().p99Ms() <= r.latency().maxMs(), r.toString());
            assertTrue(r.bytesPerUnit().input() > 0 && r.bytesPerUnit().tokens() > 0 && r.bytesPerUnit().decoded() > 0
                    && r.bytesPerUnit().changelogs() > 0, r.toString());
            assertTrue(r.codecCpuMsPerUnit() > 0 && r.endToEndCpuMsPerUnit() > 0, r.toString());
            assertTrue(r.allocatedMbPerUnit().getOrDefault("weir", 0.0) > 0, "Weir's threads allocate: " + r);
        }
        EndToEndReport.Result video = report.modalities().getFirst();
        assertEquals(EndToEndBenchmark.VIDEO_GOAL, video.goal());
        assertNull(report.modalities().get(1).goal(), "only video has a goal");
        assertTrue(video.bytesPerUnit().input() > 640 * 480 * 3 / 4, "raw 640x480 frames went in (lz4 leaves most): " + video);
        assertTrue(video.allocatedMbPerUnit().get("weir") > 640 * 480 * 3 / 1e6, "at least a decoded frame's pixels per frame: " + video);
        assertTrue(BenchSetup.json(report).contains("\"endToEndPerSecond\""), BenchSetup.json(report));
        assertTrue(report.toTable().lines().anyMatch(l -> l.startsWith("video ")), report.toTable());
    }

    @Test
    void aBacklogWritesFewerSnapshotsToTheChangelogThanUnits() throws Exception {
        // given a backlog of 200 text messages of two streams, through the text application committing every second
        // (so that the bound below holds on a slow machine too: ~2 snapshots per second, not one per message)
        var options = new EndToEndBenchmark.Options(List.of("text"), 2, Map.of("text", 100), 0.5, "jvm",
                Map.of("commit.interval.ms", "1000"), Duration.ofMinutes(2));
        EndToEndBenchmark bench = new EndToEndBenchmark(target("state-cache"), workload);
        bench.run(options, "test stack", (m, phase) -> { });

        // then the encoder's snapshot changelog has far fewer records than the 200 + 50 + 16 messages processed
        // (the cache keeps a stream's last snapshot of each commit interval)
        long snapshots = changelogRecords(bench.applicationId("text") + "-weir-text-encoder-changelog");
        assertTrue(snapshots > 0 && snapshots < 266 / 2, "snapshot records in the changelog: " + snapshots);
    }

    @Test
    void soakSendsMixedMediaAtASteadyRateAndGetsEveryEventBackOnce() throws Exception {
        // given a short soak of all three modalities
        var options = new SoakBenchmark.Options(List.of("video", "audio", "text"), 12, 4, 6, 1, "jvm", Duration.ofMinutes(2));
        SoakBenchmark soak = new SoakBenchmark(target("soak"), workload);

        // when it runs
        SoakBenchmark.Report report = soak.run(options, "test stack", (m, phase) -> { });

        // then every event came back once, with its latency, and the heap was measured at both ends
        assertEquals(72, report.events());
        assertEquals(report.events(), report.decoded());
        assertEquals(0, report.lost());
        assertEquals(0, report.duplicates());
        assertEquals(72 - 4 * 6, report.latency().count(), "the latencies of the events after the warm-up");
        assertTrue(report.throughputPerSecond() > 0 && report.heapAfterGcStartMb() > 0 && report.heapAfterGcEndMb() > 0, report.toString());
        assertTrue(report.toTable().contains("lost 0, duplicates 0"), report.toTable());
    }

    private static BenchTarget target(String state) {
        return new BenchTarget(stack.bootstrapServers(), stack.registryUrl(), dir.resolve(state));
    }

    /** Records in {@code topic}. */
    private static long changelogRecords(String topic) throws Exception {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            Set<String> topics = consumer.listTopics().keySet();
            assertTrue(topics.contains(topic), topic + " is not among " + topics);
            List<TopicPartition> partitions = new ArrayList<>();
            consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long count = 0;
            long idleSince = System.nanoTime();
            while (System.nanoTime() - idleSince < Duration.ofSeconds(3).toNanos()) {
                int n = consumer.poll(Duration.ofMillis(200)).count();
                count += n;
                if (n > 0) {
                    idleSince = System.nanoTime();
                }
            }
            return count;
        }
    }
}
