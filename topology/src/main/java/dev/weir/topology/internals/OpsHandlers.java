package dev.weir.topology.internals;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.weir.topology.ops.Health;
import dev.weir.topology.ops.OpsServer;
import dev.weir.topology.ops.WeirMetrics;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;

/**
 * The handlers of {@code /health}, {@code /ready} and {@code /metrics}: {@code GET} or {@code HEAD} of the exact
 * path. Health and readiness answer 200 or 503 with a one-line JSON body ({@code {"status":"UP","state":"RUNNING"}});
 * metrics answer the Prometheus text format, or OpenMetrics when the scraper asks for it.
 */
public final class OpsHandlers {

    static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
    static final String OPENMETRICS_TEXT = "application/openmetrics-text; version=1.0.0; charset=utf-8";

    private OpsHandlers() {
    }

    public static HttpHandler health(Health health) {
        return status(health, health::live);
    }

    public static HttpHandler ready(Health health) {
        return status(health, health::ready);
    }

    public static HttpHandler metrics(WeirMetrics metrics) {
        return exchange -> {
            if (refused(exchange)) {
                return;
            }
            String accept = exchange.getRequestHeaders().getFirst("Accept");
            String type = accept != null && accept.contains("application/openmetrics-text") ? OPENMETRICS_TEXT : PROMETHEUS_TEXT;
            OpsServer.respond(exchange, 200, type, metrics.scrape(type).getBytes(StandardCharsets.UTF_8));
        };
    }

    private static HttpHandler status(Health health, BooleanSupplier up) {
        return exchange -> {
            if (refused(exchange)) {
                return;
            }
            boolean ok = up.getAsBoolean();
            String body = "{\"status\":\"" + (ok ? "UP" : "DOWN") + "\",\"state\":\"" + health.state() + "\""
                    + (health.isShuttingDown() ? ",\"shuttingDown\":true" : "") + "}\n";
            OpsServer.respond(exchange, ok ? 200 : 503, "application/json", body.getBytes(StandardCharsets.UTF_8));
        };
    }

    /** Answers 404 for a path below the route and 405 for a method other than GET and HEAD; true when it did. */
    private static boolean refused(HttpExchange exchange) throws IOException {
        if (!exchange.getRequestURI().getPath().equals(exchange.getHttpContext().getPath())) {
            OpsServer.respond(exchange, 404, "not found\n");
            return true;
        }
        String method = exchange.getRequestMethod();
        if (!method.equals("GET") && !method.equals("HEAD")) {
            exchange.getResponseHeaders().set("Allow", "GET, HEAD");
            OpsServer.respond(exchange, 405, "method not allowed\n");
            return true;
        }
        return false;
    }
}
