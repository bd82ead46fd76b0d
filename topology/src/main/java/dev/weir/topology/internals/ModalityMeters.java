package dev.weir.topology.internals;

import dev.weir.topology.ProcessorNames;
import dev.weir.topology.modality.Modality;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The operator's view of each modality: Weir's per-task {@value ProcessorMetrics#GROUP} metrics as Micrometer
 * meters tagged {@code modality}, counting what this instance did (below): events in, tokenized and decoded, tokens
 * full and emitted and their ratio, positions and the share served from the cache, positions pruned, dead
 * letters, gaps, encode time, the kernel backend ({@code weir_backend_info}), and, for a modality whose codec
 * reports it (video), its use of the accelerator ({@code weir_device_streams}, {@code weir_device_bytes},
 * {@code weir_device_fallbacks}: 0 on {@code jvm}); each also tagged with the application id.
 *
 * <p>The counters count what this instance did since it started, and never go down. Kafka's sensors are per
 * task, and a task's go away when the task moves to another instance (or start again from zero when it comes
 * back), so a plain sum over the tasks held now would drop at every rebalance, and Prometheus, reading the drop as
 * a counter reset, would count the whole remaining value as new. So each {@code -total} metric's last value is
 * kept when its sensor goes away or is made again (a new metric object under the same name), and added to the sum. {@link #refresh} reads Kafka's metrics once
 * (every scrape, and every {@code weir.metrics.refresh.ms}, which bounds what a task counted after the last
 * refresh and before it moved: that is not in the total); every meter then reads that snapshot.
 */
public final class ModalityMeters {

    /** The tokenizer's device gauges (a codec's {@code gauges()}) that the view shows, and what each says. */
    private static final Map<String, String> DEVICE_GAUGES = Map.of(
            "device-streams", "streams whose per-stream state is on the accelerator",
            "device-bytes", "bytes of accelerator memory the streams hold",
            "device-fallbacks", "streams that fell back to jvm at the accelerator's memory limit (tasks held now)");

    private final Supplier<Map<MetricName, ? extends Metric>> metrics;
    private final List<Names> modalities;
    private final String applicationId;
    private volatile Map<Key, Double> totals = Map.of();
    /** Guarded by {@code this}: each {@code -total} metric and its value at the last refresh, by its name (with its task). */
    private Map<MetricName, Reading> lastSeen = Map.of();
    /** Guarded by {@code this}: what sensors that went away or restarted had counted. */
    private final Map<Key, Double> retired = new HashMap<>();
    /** The meters registered when first seen ({@code weir_backend_info}, {@code weir_device_*}), as modality/what. */
    private final Set<String> registered = ConcurrentHashMap.newKeySet();
    private MeterRegistry registry;

    /** A modality's name, its units ({@code frames}) and its processors. */
    private record Names(String modality, String units, ProcessorNames processors) {
    }

    /** One Weir metric of one processor, summed over tasks. */
    private record Key(String processor, String metric) {
    }

    /** A cumulative metric as last read: the object (a sensor made again is a new one) and its value. */
    private record Reading(Metric metric, double value) {
    }

    public ModalityMeters(Supplier<Map<MetricName, ? extends Metric>> metrics, List<? extends Modality<?, ?, ?, ?>> enabled,
                          String applicationId) {
        this.metrics = metrics;
        this.applicationId = applicationId;
        this.modalities = enabled.stream()
                .map(m -> new Names(m.name(), m.units(), new ProcessorNames(m.name(), m.input()))).toList();
    }

    /** Registers every modality's meters. */
    public void bindTo(MeterRegistry registry) {
        this.registry = registry;
        for (Names m : modalities) {
            String tokenizer = m.processors().tokenizer();
            String decoder = m.processors().decoder();
            Tags tags = Tags.of("application.id", applicationId, "modality", m.modality());
            counter("weir.events.in", "events read by the tokenizer, good or bad", tags, tokenizer, "records-in-total");
            counter("weir.events.tokenized", "events tokenized", tags, tokenizer, m.units() + "-tokenized-total");
            counter("weir.events.decoded", "events rebuilt from tokens by the decoder", tags, decoder, m.units() + "-decoded-total");
            counter("weir.tokens.full", "tokens a full tokenization would have emitted", tags, tokenizer, "tokens-full-total");
            counter("weir.tokens.emitted", "tokens emitted", tags, tokenizer, "tokens-emitted-total");
            ratio("weir.token.ratio", "tokens emitted per token of a full tokenization, since this instance started", tags,
                    new Key(tokenizer, "tokens-emitted-total"), new Key(tokenizer, "tokens-full-total"));
            counter("weir.positions", "positions (patches, words) of the events tokenized", tags, tokenizer, "positions-total");
            counter("weir.positions.reused", "positions served from the cache (cache hits)", tags, tokenizer, "positions-reused-total");
            ratio("weir.cache.hit.ratio", "share of positions served from the cache, since this instance started", tags,
                    new Key(tokenizer, "positions-reused-total"), new Key(tokenizer, "positions-total"));
            counter("weir.positions.pruned", "changed positions pruned to meet the token budget", tags, tokenizer, "positions-pruned-total");
            FunctionCounter.builder("weir.dead.letters", this,
                            self -> self.total(new Key(tokenizer, "dead-letters-total")) + self.total(new Key(decoder, "dead-letters-total")))
                    .description("records of this modality set aside to the dead-letter topic").tags(tags).register(registry);
            counter("weir.gaps", "gaps in a stream's batch numbers seen by the decoder", tags, decoder, "gaps-total");
            FunctionCounter.builder("weir.encode.time", this, self -> self.total(new Key(tokenizer, "encode-time-total")) / 1000)
                    .description("time spent tokenizing and compressing").baseUnit("seconds").tags(tags).register(registry);
        }
    }

    private void counter(String name, String description, Tags tags, String processor, String metric) {
        Key key = new Key(processor, metric);
        FunctionCounter.builder(name, this, self -> self.total(key)).description(description).tags(tags).register(registry);
    }

    private void ratio(String name, String description, Tags tags, Key numerator, Key denominator) {
        Gauge.builder(name, this, self -> {
            double d = self.total(denominator);
            return d == 0 ? Double.NaN : self.total(numerator) / d;
        }).description(description).tags(tags).register(registry);
    }

    private double total(Key key) {
        return totals.getOrDefault(key, 0.0);
    }

    /**
     * Reads Weir's metrics from Kafka once (call before a scrape), and registers {@code weir_backend_info} for a
     * backend seen for the first time.
     */
    public synchronized void refresh() {
        Map<Key, Double> sums = new HashMap<>(retired);
        Map<MetricName, Reading> seen = new HashMap<>();
        for (Map.Entry<MetricName, ? extends Metric> e : metrics.get().entrySet()) {
            MetricName name = e.getKey();
            String processor = name.tags().get("processor");
            if (!ProcessorMetrics.GROUP.equals(name.group()) || processor == null || !(e.getValue().metricValue() instanceof Number n)) {
                continue;
            }
            Key key = new Key(processor, name.name());
            double value = n.doubleValue();
            if (isCumulative(name)) {
                Reading before = lastSeen.get(name);
                if (before != null && (before.metric() != e.getValue() || value < before.value())) {
                    retire(key, before.value(), sums); // the task's sensor was made again (the task came back, or restarted)
                }
                seen.put(name, new Reading(e.getValue(), value));
            }
            sums.merge(key, value, Double::sum);
            String backend = name.tags().get("backend");
            if (backend != null) {
                backendSeen(processor, backend);
            }
            if (DEVICE_GAUGES.containsKey(name.name())) {
                deviceGaugeSeen(processor, name.name());
            }
        }
        for (Map.Entry<MetricName, Reading> gone : lastSeen.entrySet()) {
            if (!seen.containsKey(gone.getKey())) {
                retire(new Key(gone.getKey().tags().get("processor"), gone.getKey().name()), gone.getValue().value(), sums);
            }
        }
        lastSeen = seen;
        totals = Map.copyOf(sums);
    }

    private static boolean isCumulative(MetricName name) {
        return name.name().endsWith("-total");
    }

    private void retire(Key key, double counted, Map<Key, Double> sums) {
        retired.merge(key, counted, Double::sum);
        sums.merge(key, counted, Double::sum);
    }

    /**
     * Registers {@code weir_device_*} for a modality whose tokenizer reports a device gauge: what its tasks' streams
     * hold on the accelerator, and how many fell back to {@code jvm} at its memory limit (summed over the tasks held
     * now: a gauge, not a counter).
     */
    private void deviceGaugeSeen(String processor, String metric) {
        onceForTokenizer(processor, metric, modality -> {
            Key key = new Key(processor, metric);
            Gauge.builder("weir." + metric.replace('-', '.'), this, self -> self.total(key)).description(DEVICE_GAUGES.get(metric))
                    .tags(Tags.of("application.id", applicationId, "modality", modality)).register(registry);
        });
    }

    private void backendSeen(String processor, String backend) {
        onceForTokenizer(processor, "backend/" + backend, modality -> Gauge.builder("weir.backend.info", () -> 1)
                .description("the kernel backend a modality's tokenizer computes on")
                .tags(Tags.of("application.id", applicationId, "modality", modality, "backend", backend)).register(registry));
    }

    /** Runs {@code register} with the modality whose tokenizer {@code processor} is, the first time {@code what} is seen for it. */
    private void onceForTokenizer(String processor, String what, Consumer<String> register) {
        for (Names m : modalities) {
            if (m.processors().tokenizer().equals(processor) && registered.add(m.modality() + "/" + what)) {
                register.accept(m.modality());
            }
        }
    }
}
