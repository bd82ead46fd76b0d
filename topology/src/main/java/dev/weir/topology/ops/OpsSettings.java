package dev.weir.topology.ops;

import dev.weir.topology.WeirConfig;

import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * The operations settings of a running application (docs/operations.md).
 *
 * @param port            {@value WeirConfig#HTTP_PORT}: the HTTP port of {@code /health}, {@code /ready} and
 *                        {@code /metrics}; 0 (the default) serves nothing
 * @param bind            {@value WeirConfig#HTTP_BIND}: the address it listens on, loopback by default
 * @param metricsRefresh  {@value WeirConfig#METRICS_REFRESH_MS}: how often metrics that appeared since (a task
 *                        assigned) are added to the Prometheus registry
 */
public record OpsSettings(int port, String bind, Duration metricsRefresh) {

    public OpsSettings {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("setting '" + WeirConfig.HTTP_PORT + "' must be a port, 1..65535, or 0 (no HTTP server): " + port);
        }
        if (bind == null || bind.isBlank()) {
            throw new IllegalArgumentException("setting '" + WeirConfig.HTTP_BIND + "' must be an address to listen on, e.g. 127.0.0.1 or 0.0.0.0");
        }
        if (metricsRefresh.isNegative() || metricsRefresh.isZero()) {
            throw new IllegalArgumentException("setting '" + WeirConfig.METRICS_REFRESH_MS + "' must be a positive number of milliseconds: "
                    + metricsRefresh.toMillis());
        }
    }

    /** The settings of {@code config}. */
    public static OpsSettings of(WeirConfig config) {
        return new OpsSettings(config.getInt(WeirConfig.HTTP_PORT), config.get(WeirConfig.HTTP_BIND),
                Duration.ofMillis(config.getLong(WeirConfig.METRICS_REFRESH_MS)));
    }

    /** Whether the HTTP server is on. */
    public boolean httpEnabled() {
        return port > 0;
    }

    public InetSocketAddress address() {
        return new InetSocketAddress(bind, port);
    }
}
