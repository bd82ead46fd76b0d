package dev.weir.topology.ops;

import dev.weir.topology.internals.ModalityMeters;
import dev.weir.topology.modality.Modality;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The application's metrics in a Micrometer Prometheus registry: every Kafka Streams metric, Weir's own
 * per-task {@code weir-metrics} group among them, through Micrometer's {@link KafkaStreamsMetrics} binder
 * (named {@code kafka_GROUP_NAME}, e.g. {@code kafka_weir_tokens_emitted_total}, with the Kafka tags), and the
 * per-modality operator's view of {@link ModalityMeters} ({@code weir_events_in_total},
 * {@code weir_token_ratio}, ... tagged {@code application_id} and {@code modality}). The exposition is the Prometheus library's, never
 * written by hand. Kafka's JMX reporter exports the same Kafka and Weir metrics over JMX.
 */
public final class WeirMetrics implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WeirMetrics.class);

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final ScheduledExecutorService refresher;
    private final KafkaStreamsMetrics kafka;
    private final ModalityMeters modalities;

    /**
     * Binds {@code streams}' metrics; new ones (a task assigned after a rebalance) are picked up every
     * {@code refresh}.
     *
     * @param applicationId tags the per-modality meters ({@code application_id}; Kafka's own carry {@code client_id},
     *                      which starts with it). Not a common tag: Kafka Streams' {@code client-state} has an
     *                      {@code application-id} tag of its own, and Micrometer's binder would re-register it on every
     *                      refresh, racing the scrape into duplicate series.
     */
    public WeirMetrics(KafkaStreams streams, List<? extends Modality<?, ?, ?, ?>> enabled, String applicationId, Duration refresh) {
        refresher = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("weir-metrics-refresh").daemon().factory());
        kafka = new KafkaStreamsMetrics(streams, List.of(), refresher, refresh);
        kafka.bindTo(registry);
        modalities = new ModalityMeters(streams::metrics, enabled, applicationId);
        modalities.bindTo(registry);
        refresher.scheduleAtFixedRate(this::refreshModalities, refresh.toMillis(), refresh.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Between scrapes too, so that what a task counted before it moves away is in the per-modality totals. */
    private void refreshModalities() {
        try {
            modalities.refresh();
        } catch (RuntimeException e) {
            LOG.warn("Reading Weir's per-task metrics failed; the per-modality view is from the previous reading", e);
        }
    }

    /** The registry, for meters of other parts of the application. */
    public MeterRegistry registry() {
        return registry;
    }

    /** The Prometheus text format (version 0.0.4) of every meter now. */
    public String scrape() {
        modalities.refresh();
        return registry.scrape();
    }

    /**
     * Every meter in the format {@code contentType} names: the Prometheus text format, or OpenMetrics for
     * {@code application/openmetrics-text}.
     */
    public String scrape(String contentType) {
        modalities.refresh();
        return registry.scrape(contentType);
    }

    @Override
    public void close() {
        kafka.close();
        refresher.shutdownNow();
        registry.close();
    }
}
