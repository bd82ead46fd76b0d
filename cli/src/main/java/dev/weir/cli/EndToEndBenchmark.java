package dev.weir.cli;

import dev.weir.codec.Encoded;
import dev.weir.codec.StreamDecoder;
import dev.weir.codec.StreamEncoder;
import dev.weir.serdes.RestSchemaRegistryClient;
import dev.weir.serdes.SchemaRegistryClient;
import dev.weir.topology.Modalities;
import dev.weir.topology.TopicSetup;
import dev.weir.topology.WeirApp;
import dev.weir.topology.WeirConfig;
import dev.weir.topology.modality.Modality;
import dev.weir.topology.modality.ModalityCodec;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.streams.StreamsConfig;

import java.time.Duration;
import java.time.Instant;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * {@code weir bench e2e}: for each modality, in one run on the same records,
 * <ol>
 *   <li>the codec alone (media check and decode, encode, decode; one thread, as one stream task runs it), after a
 *       warm-up on other streams;</li>
 *   <li>the topology through the broker with exactly-once: a backlog of the same records produced at once, timed
 *       from the first send to the last decoded output visible to a {@code read_committed} consumer (after a
 *       warm-up of the application on other streams);</li>
 *   <li>latency at a steady rate (a share of the throughput just measured): send to decoded output visible;</li>
 *   <li>the bytes on the broker per unit: input, tokens, decoded, and the changelogs of the per-stream snapshots.</li>
 * </ol>
 * Each modality runs as an application of its own, on topics of its own, so that one's backlog never slows another.
 */
final class EndToEndBenchmark {

    /** The ratio video at 640×480 aims at (issue 14). */
    static final double VIDEO_GOAL = 0.8;

    /**
     * @param modalities    which modalities, in order
     * @param streams       streams per modality
     * @param units         units per stream timed, per modality (the warm-ups take as many, so that the JIT has
     *                      compiled Kafka's and Weir's paths before the timing; the latency phase half as many)
     * @param latencyLoad   the latency phase's rate as a share of the measured end-to-end throughput
     * @param backend       the kernel backend
     * @param settings      more settings of the applications (Weir's, Kafka Streams')
     * @param timeout       the longest wait for one phase's outputs
     */
    record Options(List<String> modalities, int streams, Map<String, Integer> units, double latencyLoad, String backend,
                   Map<String, String> settings, Duration timeout) {
    }

    private final BenchTarget target;
    private final BenchWorkload workload;
    private final String run = Long.toString(System.currentTimeMillis() % 100_000_000, 36);

    EndToEndBenchmark(BenchTarget target, BenchWorkload workload) {
        this.target = target;
        this.workload = workload;
    }

    EndToEndReport run(Options options, String broker, Progress progress) throws Exception {
        List<EndToEndReport.Result> results = new ArrayList<>();
        long commitInterval = 0;
        for (String modality : options.modalities()) {
            WeirConfig config = target.config(applicationId(modality), List.of(modality), options.backend(), options.settings());
            commitInterval = commitIntervalMs(config);
            results.add(measure(modality, config, options, progress));
        }
        return new EndToEndReport(Instant.now().toString(), Runtime.getRuntime().availableProcessors(), options.backend(),
                commitInterval, broker, options.settings(), results);
    }

    /** Kafka Streams' commit interval for {@code config} (its exactly-once default when not set). */
    static long commitIntervalMs(WeirConfig config) {
        return new StreamsConfig(WeirApp.streamsProperties(config)).getLong(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG);
    }

    /** Progress lines, for a terminal. */
    interface Progress {
        void phase(String modality, String phase);
    }

    private EndToEndReport.Result measure(String name, WeirConfig config, Options options, Progress progress) throws Exception {
        Modality<?, ?, ?, ?> modality = Modalities.named(name);
        int streams = options.streams();
        int units = options.units().get(name);
        List<BenchWorkload.Event> warmUp = workload.interleaved(name, "warm-" + run, streams, units);
        List<BenchWorkload.Event> timed = workload.interleaved(name, "timed-" + run, streams, units);
        List<BenchWorkload.Event> steady = workload.interleaved(name, "steady-" + run, streams, Math.max(8, units / 2));

        progress.phase(name, "codec alone");
        codecAlone(modality, config, warmUp);
        long codecCpuStart = CpuAccount.currentThreadNanos();
        CodecRun codecRun = codecAlone(modality, config, timed);
        double codecPerSecond = timed.size() / (codecRun.nanos() / 1e9);
        double codecCpuMs = (CpuAccount.currentThreadNanos() - codecCpuStart) / 1e6 / timed.size();
        double codecAllocatedMb = codecRun.allocatedBytes() / 1e6 / timed.size();

        TopicSetup.createMissing(config);
        double endToEndPerSecond;
        Map<String, Double> cpuByGroup;
        Map<String, Double> allocatedByGroup;
        double rate;
        Percentiles latency;
        try (SchemaRegistryClient registry = new RestSchemaRegistryClient(config.serdeConfig());
             WeirApp app = WeirApp.start(config);
             BenchDriver driver = new BenchDriver(config, registry, List.of(modality))) {
            app.awaitRunning(Duration.ofSeconds(60));
            progress.phase(name, "warming up the application");
            driver.produceAll(name, warmUp);
            driver.awaitDecoded(warmUp, options.timeout());

            progress.phase(name, "end to end, " + timed.size() + " units");
            long start = System.nanoTime();
            CpuAccount.Snapshot cpuStart = CpuAccount.Snapshot.now();
            driver.produceAll(name, timed);
            driver.awaitDecoded(timed, options.timeout());
            endToEndPerSecond = timed.size() / ((System.nanoTime() - start) / 1e9);
            CpuAccount.Snapshot cpuEnd = CpuAccount.Snapshot.now();
            Function<String, String> group = thread -> groupOf(thread, config.get(WeirConfig.APPLICATION_ID));
            cpuByGroup = CpuAccount.msPerUnit(cpuStart, cpuEnd, timed.size(), group);
            allocatedByGroup = CpuAccount.allocatedMbPerUnit(cpuStart, cpuEnd, timed.size(), group);

            rate = options.latencyLoad() * endToEndPerSecond;
            progress.phase(name, String.format(java.util.Locale.ROOT, "latency at %.1f units/s", rate));
            driver.produceAtRate(steady.stream().map(e -> (Map.Entry<String, BenchWorkload.Event>) new AbstractMap.SimpleEntry<>(name, e)).toList(), rate);
            driver.awaitDecoded(steady, options.timeout());
            latency = Percentiles.of(driver.latenciesMs(steady));
            if (driver.duplicates() > 0) {
                throw new IllegalStateException(driver.duplicates() + " decoded outputs arrived twice under exactly-once");
            }
        }
        int produced = warmUp.size() + timed.size() + steady.size();
        EndToEndReport.Bytes bytes = bytesPerUnit(config, produced);
        return new EndToEndReport.Result(name, workload.describe(name), streams, timed.size(), codecPerSecond, endToEndPerSecond,
                endToEndPerSecond / codecPerSecond, name.equals("video") ? VIDEO_GOAL : null, codecCpuMs, codecAllocatedMb, cpuByGroup, allocatedByGroup, rate,
                latency, bytes);
    }

    /** Weir's threads carry the application id in their names; the benchmark's client is main and its producer. */
    static String groupOf(String thread, String applicationId) {
        if (thread.contains(applicationId)) {
            return "weir";
        }
        if (thread.equals("main") || thread.startsWith("kafka-producer-network-thread | producer-")) {
            return "bench client";
        }
        return "broker, other";
    }

    /** The codec alone on {@code events}: per stream an encoder and a decoder, as the topology's processors hold them. */
    /** What the codec alone took for a run of events: wall-clock time, and the heap its thread allocated. */
    record CodecRun(long nanos, long allocatedBytes) {
    }

    /** Each event's media taken from it, encoded and decoded, on this thread; the codec opened beforehand. */
    static <E extends SpecificRecord, M, L, D extends SpecificRecord> CodecRun codecAlone(Modality<E, M, L, D> modality,
                                                                                          WeirConfig config,
                                                                                          List<BenchWorkload.Event> events) {
        int maxEventBytes = config.getInt(WeirConfig.MAX_EVENT_BYTES);
        Map<String, StreamEncoder<M, L>> encoders = new HashMap<>();
        Map<String, StreamDecoder<L, M>> decoders = new HashMap<>();
        try (ModalityCodec<M, L> codec = modality.open(config)) {
            long start = System.nanoTime();
            long allocatedStart = CpuAccount.currentThreadAllocatedBytes();
            for (BenchWorkload.Event e : events) {
                M media = modality.media(modality.eventClass().cast(e.value()), maxEventBytes);
                Encoded<L> encoded = encoders.computeIfAbsent(e.streamId(), s -> codec.newEncoder()).encode(e.seq(), media);
                decoders.computeIfAbsent(e.streamId(), s -> codec.newDecoder()).decode(encoded.layout(), encoded.packet());
            }
            CodecRun run = new CodecRun(System.nanoTime() - start, CpuAccount.currentThreadAllocatedBytes() - allocatedStart);
            encoders.values().forEach(StreamEncoder::close);
            return run;
        }
    }

    private EndToEndReport.Bytes bytesPerUnit(WeirConfig config, int units) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, target.bootstrapServers()))) {
            TopicBytes bytes = TopicBytes.read(admin);
            var topics = config.topics().modalities().values().iterator().next();
            return new EndToEndReport.Bytes((double) bytes.of(topics.input()) / units, (double) bytes.of(topics.tokens()) / units,
                    (double) bytes.of(topics.decoded()) / units,
                    (double) bytes.changelogsOf(config.get(WeirConfig.APPLICATION_ID)) / units);
        }
    }

    /** One modality's application: its own id, topics, state directory. */
    /** The application id of {@code modality}'s part of this run. */
    String applicationId(String modality) {
        return "weir-bench-" + run + "-" + modality;
    }
}
