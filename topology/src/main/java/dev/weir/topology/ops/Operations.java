package dev.weir.topology.ops;

import dev.weir.topology.WeirStartupException;
import dev.weir.topology.internals.OpsHandlers;
import dev.weir.topology.modality.Modality;
import org.apache.kafka.streams.KafkaStreams;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * The operations side of a running application: its {@link Health}, its {@link WeirMetrics}, and, when
 * {@link OpsSettings#httpEnabled()}, the {@link OpsServer} that serves them: {@code /health} (live),
 * {@code /ready} (ready) and {@code /metrics} (Prometheus). It closes in the order a graceful stop needs:
 * {@link #shuttingDown()} first (readiness false while the stream threads finish), {@link #close()} last.
 */
public final class Operations implements AutoCloseable {

    public static final String HEALTH_PATH = "/health";
    public static final String READY_PATH = "/ready";
    public static final String METRICS_PATH = "/metrics";

    private final Health health;
    private final WeirMetrics metrics;
    private final Optional<OpsServer> http;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    private Operations(Health health, WeirMetrics metrics, Optional<OpsServer> http) {
        this.health = health;
        this.metrics = metrics;
        this.http = http;
    }

    /**
     * Binds the metrics of {@code streams} and, when the settings ask for it, starts the HTTP server (call it
     * before {@code streams.start()}: a port in use then stops the start-up before anything runs).
     *
     * @throws WeirStartupException when the HTTP server cannot listen where it is told to
     */
    public static Operations start(OpsSettings settings, KafkaStreams streams, List<? extends Modality<?, ?, ?, ?>> modalities,
                                   String applicationId) {
        Health health = new Health(streams::state);
        WeirMetrics metrics = new WeirMetrics(streams, modalities, applicationId, settings.metricsRefresh());
        if (!settings.httpEnabled()) {
            return new Operations(health, metrics, Optional.empty());
        }
        try {
            OpsServer server = OpsServer.start(settings.address());
            server.route(HEALTH_PATH, OpsHandlers.health(health))
                    .route(READY_PATH, OpsHandlers.ready(health))
                    .route(METRICS_PATH, OpsHandlers.metrics(metrics));
            return new Operations(health, metrics, Optional.of(server));
        } catch (IOException | RuntimeException e) {
            metrics.close();
            throw new WeirStartupException("cannot serve HTTP on " + settings.bind() + ":" + settings.port() + " (weir.http.bind, weir.http.port): "
                    + e.getMessage(), e);
        }
    }

    public Health health() {
        return health;
    }

    public WeirMetrics metrics() {
        return metrics;
    }

    /** The HTTP server, when {@code weir.http.port} is set: mount other pages on it with {@link OpsServer#route}. */
    public Optional<OpsServer> http() {
        return http;
    }

    /** Readiness goes false now, before the application closes. */
    public void shuttingDown() {
        health.shuttingDown();
    }

    /** Stops the HTTP server and the metrics; later calls do nothing. */
    @Override
    public void close() {
        health.shuttingDown();
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        http.ifPresent(OpsServer::close);
        metrics.close();
    }
}
