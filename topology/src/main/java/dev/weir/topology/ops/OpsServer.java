package dev.weir.topology.ops;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The running application's one small HTTP server (the JDK's {@code com.sun.net.httpserver}, no framework):
 * Weir mounts {@code /health}, {@code /ready} and {@code /metrics} on it ({@link Operations}), and other parts
 * mount their own pages with {@link #route}. Each request runs on a virtual thread; a handler that throws
 * answers 500 instead of leaving the client waiting.
 *
 * <pre>{@code
 * app.operations().http().ifPresent(server -> server.route("/inspector/", inspectorHandler));
 * }</pre>
 */
public final class OpsServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(OpsServer.class);
    /** Connections waiting to be accepted. */
    private static final int BACKLOG = 32;
    /** How long {@link #close()} lets requests in progress finish. */
    private static final int STOP_SECONDS = 1;

    private final HttpServer server;
    private final ExecutorService executor;

    private OpsServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /**
     * Listens on {@code address} (port 0: any free port) and starts serving; nothing is routed yet.
     *
     * @throws IOException when the address cannot be bound (in use, not this host's)
     */
    public static OpsServer start(InetSocketAddress address) throws IOException {
        HttpServer server = HttpServer.create(address, BACKLOG);
        ExecutorService executor = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("weir-http-", 0).factory());
        server.setExecutor(executor);
        server.start();
        return new OpsServer(server, executor);
    }

    /**
     * Serves the requests whose path starts with {@code path} with {@code handler} (a path ending in {@code /}
     * is a tree of pages; the longest registered prefix wins). Routes can be added while the server runs.
     *
     * @throws IllegalArgumentException when {@code path} is already routed
     */
    public OpsServer route(String path, HttpHandler handler) {
        server.createContext(path, exchange -> handleGuarded(handler, exchange));
        return this;
    }

    /** The bound address (with the real port when 0 was asked for). */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    /** {@code http://HOST:PORT/}, for messages and clients. */
    public URI uri() {
        InetSocketAddress a = address();
        String host = a.getAddress().getHostAddress();
        return URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort() + "/");
    }

    /** Stops listening; requests in progress get up to a second to finish. */
    @Override
    public void close() {
        server.stop(STOP_SECONDS);
        executor.shutdownNow();
    }

    /**
     * Sends a whole response: {@code status}, {@code contentType} and {@code body} (no body for {@code HEAD}), and
     * closes the exchange.
     */
    public static void respond(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head ? -1 : body.length == 0 ? -1 : body.length);
        if (!head && body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
        exchange.close();
    }

    /** {@link #respond} with a short text body. */
    public static void respond(HttpExchange exchange, int status, String text) throws IOException {
        respond(exchange, status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
    }

    private static void handleGuarded(HttpHandler handler, HttpExchange exchange) {
        try {
            handler.handle(exchange);
        } catch (IOException | RuntimeException e) {
            log.warn("HTTP {} {} failed: {}", exchange.getRequestMethod(), exchange.getRequestURI().getPath(), e.toString());
            if (exchange.getResponseCode() == -1) {
                try {
                    respond(exchange, 500, "internal error\n");
                } catch (IOException ignored) {
                    // the client went away
                }
            }
        } finally {
            exchange.close();
        }
    }
}
