package dev.weir.cli;

import dev.weir.serdes.RestSchemaRegistryClient;
import dev.weir.serdes.SchemaRegistryClient;
import dev.weir.topology.Modalities;
import dev.weir.topology.TopicSetup;
import dev.weir.topology.WeirApp;
import dev.weir.topology.WeirConfig;
import dev.weir.topology.modality.Modality;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code weir bench soak}: one application with every modality, fed mixed media at a steady rate for a bounded
 * time (loopback only), then: throughput, latency percentiles, heap after a full GC once warm and at the end
 * (growth means a leak), and whether every event was decoded exactly once (none lost after the timeout, none
 * twice, no dead letter).
 */
final class SoakBenchmark {

    /**
     * @param seconds        how long events are sent
     * @param warmUpSeconds  the first part, after which the starting heap is measured
     * @param ratePerSecond  events a second, all modalities together (round robin)
     * @param streams        streams per modality
     */
    record Options(List<String> modalities, int seconds, int warmUpSeconds, double ratePerSecond, int streams, String backend,
                   Duration timeout) {
    }

    /**
     * @param events             events sent
     * @param decoded            distinct events whose decoded output arrived
     * @param lost               events without a decoded output when the timeout had passed after the last send
     * @param duplicates         decoded outputs that arrived twice (must be 0)
     * @param throughputPerSecond decoded outputs a second over the run
     * @param latency            send to decoded output visible, of the events after the warm-up (the first seconds
     *                           include the JIT compiling the paths)
     * @param heapAfterGcStartMb heap in use after a full GC once warm
     * @param heapAfterGcEndMb   heap in use after a full GC at the end
     */
    record Report(String date, int cores, String backend, long commitIntervalMs, String broker, List<String> modalities,
                  int seconds, double ratePerSecond, int streams, long events, long decoded, long lost, long duplicates,
                  double throughputPerSecond, Percentiles latency, double heapAfterGcStartMb, double heapAfterGcEndMb) {

        double heapGrowthMb() {
            return heapAfterGcEndMb - heapAfterGcStartMb;
        }

        /** Every event decoded, none twice. */
        boolean exactlyOnce() {
            return lost == 0 && duplicates == 0;
        }

        String toTable() {
            return String.format(Locale.ROOT, """
                    weir bench soak  %s  %d cores  backend %s  commit.interval.ms %d  broker %s
                    %s, %d streams each, %.1f events/s for %d s
                    events %d, decoded %d, lost %d, duplicates %d
                    throughput %.1f decoded/s, latency p50 %.1f ms, p99 %.1f ms, max %.1f ms
                    heap after GC: %.1f MB once warm, %.1f MB at the end (%+.1f MB)
                    """, date, cores, backend, commitIntervalMs, broker, String.join("+", modalities), streams, ratePerSecond,
                    seconds, events, decoded, lost, duplicates, throughputPerSecond, latency.p50Ms(), latency.p99Ms(),
                    latency.maxMs(), heapAfterGcStartMb, heapAfterGcEndMb, heapGrowthMb());
        }
    }

    private final BenchTarget target;
    private final BenchWorkload workload;
    private final String run = Long.toString(System.currentTimeMillis() % 100_000_000, 36);

    SoakBenchmark(BenchTarget target, BenchWorkload workload) {
        this.target = target;
        this.workload = workload;
    }

    Report run(Options options, String broker, EndToEndBenchmark.Progress progress) throws Exception {
        WeirConfig config = target.config("weir-soak-" + run, options.modalities(), options.backend(), Map.of());
        List<Modality<?, ?, ?, ?>> modalities = Modalities.enabled(config);
        List<Map.Entry<String, BenchWorkload.Event>> events = mixed(options);
        int warmUp = (int) Math.min(events.size(), options.warmUpSeconds() * options.ratePerSecond());
        TopicSetup.createMissing(config);
        try (SchemaRegistryClient registry = new RestSchemaRegistryClient(config.serdeConfig());
             WeirApp app = WeirApp.start(config);
             BenchDriver driver = new BenchDriver(config, registry, modalities)) {
            app.awaitRunning(Duration.ofSeconds(60));
            progress.phase("soak", "warming up for " + options.warmUpSeconds() + " s");
            long start = System.nanoTime();
            driver.produceAtRate(events.subList(0, warmUp), options.ratePerSecond());
            double heapStart = heapAfterGcMb();
            progress.phase("soak", "steady for " + (options.seconds() - options.warmUpSeconds()) + " s");
            driver.produceAtRate(events.subList(warmUp, events.size()), options.ratePerSecond());
            List<BenchWorkload.Event> sent = events.stream().map(Map.Entry::getValue).toList();
            long lost = driver.missingAfter(sent, options.timeout());
            double seconds = (System.nanoTime() - start) / 1e9;
            double heapEnd = heapAfterGcMb();
            long decoded = sent.size() - lost;
            return new Report(Instant.now().toString(), Runtime.getRuntime().availableProcessors(), options.backend(),
                    EndToEndBenchmark.commitIntervalMs(config), broker, options.modalities(), options.seconds(),
                    options.ratePerSecond(), options.streams(), sent.size(), decoded, lost, driver.duplicates(),
                    decoded / seconds, Percentiles.of(driver.latenciesMs(sent.subList(warmUp, sent.size()))), heapStart, heapEnd);
        }
    }

    /** The events of the whole soak: modalities in turn, streams in turn within each, each stream's seq from 0. */
    private List<Map.Entry<String, BenchWorkload.Event>> mixed(Options options) {
        int total = (int) (options.seconds() * options.ratePerSecond());
        List<String> modalities = options.modalities();
        long[][] next = new long[modalities.size()][options.streams()];
        List<Map.Entry<String, BenchWorkload.Event>> events = new ArrayList<>(total);
        long now = System.currentTimeMillis();
        for (int i = 0; i < total; i++) {
            int m = i % modalities.size();
            int s = (i / modalities.size()) % options.streams();
            String modality = modalities.get(m);
            long seq = next[m][s]++;
            BenchWorkload.Event e = workload.event(modality, "soak-" + run + "-" + modality + "-" + s, s, seq,
                    now + (long) (i * 1000 / options.ratePerSecond()));
            events.add(new AbstractMap.SimpleEntry<>(modality, e));
        }
        return events;
    }

    /** Heap in use right after a full collection, in MB. */
    static double heapAfterGcMb() {
        var memory = ManagementFactory.getMemoryMXBean();
        memory.gc();
        return memory.getHeapMemoryUsage().getUsed() / (1024.0 * 1024);
    }
}
