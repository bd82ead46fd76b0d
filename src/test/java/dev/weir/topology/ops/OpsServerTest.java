package dev.weir.topology.ops;

import com.sun.net.httpserver.HttpHandler;
import dev.weir.topology.internals.OpsHandlers;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The HTTP server of a running application: health and readiness from the Kafka Streams state, routes, errors. */
class OpsServerTest {

    final AtomicReference<KafkaStreams.State> state = new AtomicReference<>(KafkaStreams.State.CREATED);
    final Health health = new Health(state::get);
    final HttpClient client = HttpClient.newHttpClient();
    OpsServer server;

    @BeforeEach
    void start() throws IOException {
        server = OpsServer.start(new InetSocketAddress("127.0.0.1", 0));
        server.route(Operations.HEALTH_PATH, OpsHandlers.health(health)).route(Operations.READY_PATH, OpsHandlers.ready(health));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void healthIsUpWhileRunningOrRebalancingAndReadinessOnlyWhileRunning() throws Exception {
        // given each Kafka Streams state in turn, then the application shutting down
        record Expected(KafkaStreams.State state, int health, int ready) {
        }
        for (Expected e : new Expected[] {
                new Expected(KafkaStreams.State.CREATED, 503, 503),
                new Expected(KafkaStreams.State.REBALANCING, 200, 503),
                new Expected(KafkaStreams.State.RUNNING, 200, 200),
                new Expected(KafkaStreams.State.PENDING_SHUTDOWN, 503, 503),
                new Expected(KafkaStreams.State.ERROR, 503, 503),
                new Expected(KafkaStreams.State.NOT_RUNNING, 503, 503)}) {
            state.set(e.state());

            // then /health and /ready answer as an orchestrator expects, naming the state
            HttpResponse<String> h = get(Operations.HEALTH_PATH);
            HttpResponse<String> r = get(Operations.READY_PATH);
            assertEquals(e.health(), h.statusCode(), e.state() + " health");
            assertEquals(e.ready(), r.statusCode(), e.state() + " ready");
            assertTrue(r.body().contains("\"state\":\"" + e.state() + "\""), r.body());
        }

        // when a running application starts to shut down, it is unready at once and still live
        state.set(KafkaStreams.State.RUNNING);
        health.shuttingDown();
        assertEquals(503, get(Operations.READY_PATH).statusCode());
        assertEquals("{\"status\":\"DOWN\",\"state\":\"RUNNING\",\"shuttingDown\":true}", get(Operations.READY_PATH).body().strip());
        assertEquals(200, get(Operations.HEALTH_PATH).statusCode());
    }

    @Test
    void otherPagesMountOnTheSameServerAndAFailingHandlerAnswers500() throws Exception {
        // given a page of another part of the application, and one that throws
        HttpHandler page = exchange -> OpsServer.respond(exchange, 200, "text/html; charset=utf-8", "<h1>inspector</h1>".getBytes());
        server.route("/inspector/", page).route("/broken", exchange -> {
            throw new IllegalStateException("bug");
        });

        // then the page is served below its prefix, the failure is a 500, unknown paths are 404
        HttpResponse<String> inspector = get("/inspector/streams/cam-1");
        assertEquals(200, inspector.statusCode());
        assertEquals("<h1>inspector</h1>", inspector.body());
        assertEquals(500, get("/broken").statusCode());
        assertEquals(404, get("/nothing-here").statusCode());
        // and a path already routed cannot be taken twice
        assertThrows(IllegalArgumentException.class, () -> server.route("/inspector/", page));
    }

    @Test
    void theBuiltInEndpointsAnswerOnlyGetAndHeadOfTheirExactPath() throws Exception {
        state.set(KafkaStreams.State.RUNNING);
        HttpResponse<String> post = client.send(HttpRequest.newBuilder(uri(Operations.READY_PATH)).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> head = client.send(HttpRequest.newBuilder(uri(Operations.READY_PATH)).method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());

        assertEquals(405, post.statusCode());
        assertEquals("GET, HEAD", post.headers().firstValue("Allow").orElse(""));
        assertEquals(200, head.statusCode());
        assertEquals("", head.body());
        assertEquals(404, get(Operations.READY_PATH + "/more").statusCode());
        assertEquals(404, get(Operations.READY_PATH + "z").statusCode());
    }

    @Test
    void afterCloseThePortIsFree() throws Exception {
        InetSocketAddress address = server.address();
        server.close();

        assertThrows(IOException.class, () -> get(Operations.HEALTH_PATH));
        try (OpsServer again = OpsServer.start(address)) {
            assertEquals(address.getPort(), again.address().getPort());
        }
    }

    @Test
    void settingsAreCheckedAndTheServerIsOffByDefault() {
        OpsSettings defaults = OpsSettings.of(dev.weir.topology.WeirConfig.of(java.util.Map.of(), java.util.Map.of()));
        assertFalse(defaults.httpEnabled());
        assertEquals("127.0.0.1", defaults.bind());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> OpsSettings.of(dev.weir.topology.WeirConfig.of(java.util.Map.of("weir.http.port", "70000"), java.util.Map.of())));
        assertEquals("setting 'weir.http.port' must be a port, 1..65535, or 0 (no HTTP server): 70000", bad.getMessage());
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return server.uri().resolve(path);
    }
}
