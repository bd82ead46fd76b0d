package dev.weir.cli;

import dev.weir.inspector.InspectorSettings;
import dev.weir.serdes.RestSchemaRegistryClient;
import dev.weir.serdes.SchemaRegistryClient;
import dev.weir.stack.LocalStack;
import dev.weir.topology.TopicSetup;
import dev.weir.topology.WeirApp;
import dev.weir.topology.WeirConfig;
import dev.weir.topology.ops.Operations;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The operations side of a running Weir against a real broker and registry: health and readiness over HTTP
 * follow the Kafka Streams state, {@code /metrics} is a Prometheus exposition of Weir's per-modality view and of
 * Kafka Streams' own metrics, the same metrics are MBeans over JMX, and a stop (in process, and {@code weir run}
 * on SIGTERM) turns readiness off before the HTTP server goes away.
 */
class OperationsIT {

    static final Duration WAIT = Duration.ofSeconds(120);

    @TempDir
    static Path dir;
    static LocalStack stack;
    static SchemaRegistryClient registry;

    @BeforeAll
    static void startStack() throws Exception {
        stack = LocalStack.start(dir.resolve("stack"));
        registry = RestSchemaRegistryClient.forUrl(stack.registryUrl());
    }

    @AfterAll
    static void stopStack() {
        if (registry != null) {
            registry.close();
        }
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void healthReadinessAndPrometheusMetricsFollowTheRunningApplicationAndJmxHasTheSameMetrics() throws Exception {
        // given Weir with its HTTP server on a loopback port
        int port = OpsProbe.freePort();
        Map<String, String> settings = settings("weir-ops", port);
        URI base = URI.create("http://127.0.0.1:" + port);
        WeirApp app = WeirApp.start(WeirConfig.of(settings, Map.of()));
        try {
            // then it is live, and ready once Kafka Streams is RUNNING
            OpsProbe.Answer ready = OpsProbe.await(base.resolve(Operations.READY_PATH), 200, WAIT);
            assertEquals("{\"status\":\"UP\",\"state\":\"RUNNING\"}", ready.body().strip());
            assertEquals("application/json", ready.contentType());
            assertEquals(200, OpsProbe.get(base.resolve(Operations.HEALTH_PATH)).status());
            assertEquals(127, app.operations().http().orElseThrow().address().getAddress().getAddress()[0], "bound to loopback");

            // when a camera sends three frames and they are decoded
            OpsProbe.produceFrames(Map.of("bootstrap.servers", stack.bootstrapServers()), registry, "weir-ops.frames", "ops-cam", 3);
            String metrics = awaitMetric(base, "weir_events_decoded_total", Map.of("modality", "video"), 3);

            // then /metrics has the video modality's operator view, tagged with the application and modality
            Map<String, String> video = Map.of("application_id", "weir-ops", "modality", "video");
            assertEquals(3.0, value(metrics, "weir_events_in_total", video));
            assertEquals(3.0, value(metrics, "weir_events_tokenized_total", video));
            double full = value(metrics, "weir_tokens_full_total", video);
            double emitted = value(metrics, "weir_tokens_emitted_total", video);
            assertEquals(3 * 300 * 2, full, "three 320x240 frames of 300 patches, 2 tokens each");
            assertTrue(emitted > 0 && emitted < full, "compression emits fewer tokens than a full tokenization: " + emitted);
            assertEquals(emitted / full, value(metrics, "weir_token_ratio", video), 1e-9);
            assertEquals(900.0, value(metrics, "weir_positions_total", video));
            double reused = value(metrics, "weir_positions_reused_total", video);
            assertEquals(reused / 900, value(metrics, "weir_cache_hit_ratio", video), 1e-9);
            assertTrue(value(metrics, "weir_encode_time_seconds_total", video) > 0, metrics);
            assertEquals(0.0, value(metrics, "weir_dead_letters_total", video));
            assertEquals(1.0, value(metrics, "weir_backend_info", Map.of("modality", "video", "backend", "jvm")));
            assertEquals(0.0, value(metrics, "weir_device_streams", video), "on jvm nothing is on a device");
            assertEquals(0.0, value(metrics, "weir_device_fallbacks", video));
            // and Weir's per-task metrics and Kafka Streams' own, through Micrometer's binder
            assertEquals(emitted, value(metrics, "kafka_weir_tokens_emitted_total", Map.of("processor", "video-tokenizer")));
            assertTrue(OpsProbe.sample(metrics, "kafka_weir_encode_time_avg", Map.of("processor", "video-tokenizer", "backend", "jvm")).isPresent(), metrics);
            assertTrue(OpsProbe.sample(metrics, "kafka_stream_thread_process_total", Map.of()).isPresent(), "Kafka Streams' thread metrics");
            assertTrue(metrics.contains("# TYPE weir_events_in_total counter"), "a Prometheus exposition");

            // and JMX has the same Weir metrics (Kafka's JmxReporter): one MBean per task and processor
            MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();
            double viaJmx = 0;
            for (ObjectName name : jmx.queryNames(new ObjectName("kafka.streams:type=weir-metrics,processor=video-tokenizer,backend=jvm,*"), null)) {
                viaJmx += ((Number) jmx.getAttribute(name, "tokens-emitted-total")).doubleValue();
            }
            assertEquals(emitted, viaJmx);

            // and a scraper asking for OpenMetrics gets it
            OpsProbe.Answer open = OpsProbe.send(java.net.http.HttpRequest.newBuilder(base.resolve(Operations.METRICS_PATH))
                    .header("Accept", "application/openmetrics-text; version=1.0.0").GET().build());
            assertTrue(open.contentType().startsWith("application/openmetrics-text") && open.body().strip().endsWith("# EOF"), open.toString());

            // when the application closes
            CompletableFuture<Void> closing = CompletableFuture.runAsync(app::close);

            // then readiness goes false while the HTTP server still answers, then the server is gone
            List<OpsProbe.Answer> seen = new ArrayList<>();
            OpsProbe.Answer last;
            do {
                last = OpsProbe.get(base.resolve(Operations.READY_PATH));
                seen.add(last);
            } while (last.status() != -1);
            closing.get();
            assertTrue(seen.stream().anyMatch(a -> a.status() == 503 && a.body().contains("\"shuttingDown\":true")),
                    "readiness 503 before the server stopped: " + seen.stream().map(OpsProbe.Answer::status).distinct().toList());
            assertFalse(seen.stream().dropWhile(a -> a.status() != 503).anyMatch(a -> a.status() == 200), "never ready again");
        } finally {
            app.close();
        }
    }

    @Test
    void weirRunServesItsEndpointsAndOnSigtermIsUnreadyBeforeItStops() throws Exception {
        // given weir run with weir.http.port and weir.inspector.port, as its own process
        int port = OpsProbe.freePort();
        int inspectorPort = OpsProbe.freePort();
        URI base = URI.create("http://127.0.0.1:" + port);
        URI inspector = URI.create("http://127.0.0.1:" + inspectorPort + "/inspector/");
        Map<String, String> settings = settings("weir-ops-run", port);
        settings.put(InspectorSettings.PORT, Integer.toString(inspectorPort));
        try (WeirProcess weir = WeirProcess.run(dir, "ops-run", settings).awaitRunning()) {
            // then it says where, and is ready
            assertTrue(weir.output().contains("weir run: health, readiness and metrics on http://127.0.0.1:" + port + "/"), weir.output());
            assertTrue(weir.output().contains("weir run: inspector on " + inspector), weir.output());
            OpsProbe.await(base.resolve(Operations.READY_PATH), 200, WAIT);

            // and when a camera sends frames, the inspector's page and stream list show them
            OpsProbe.produceFrames(Map.of("bootstrap.servers", stack.bootstrapServers()), registry, "weir-ops-run.frames", "run-cam", 2);
            assertTrue(OpsProbe.get(inspector).body().contains("<html"), "the inspector's page");
            OpsProbe.Answer streams = OpsProbe.awaitBody(inspector.resolve("api/streams"), "\"id\":\"run-cam\"", WAIT);
            assertTrue(streams.contentType().startsWith("application/json"), streams.contentType());

            // and weir inspect, started beside it with the same config, shows the same stream on a port of its own
            int inspectPort = OpsProbe.freePort();
            URI standalone = URI.create("http://127.0.0.1:" + inspectPort + "/inspector/");
            try (WeirProcess inspect = WeirProcess.start(dir, "ops-inspect", "inspect", "--config",
                    dir.resolve("ops-run.properties").toString(), "--port", Integer.toString(inspectPort))) {
                inspect.awaitLine("weir inspect: weir-ops-run on " + standalone, WAIT);
                OpsProbe.awaitBody(standalone.resolve("api/streams"), "\"id\":\"run-cam\"", WAIT);
                int exit = inspect.terminate(WeirRunProcessIT.STOP_BOUND);
                assertTrue(exit == 143 || exit == 0, "exit " + exit + ":\n" + inspect.output());
                assertTrue(inspect.output().contains("weir inspect: stopped"), inspect.output());
                assertEquals(-1, OpsProbe.get(standalone).status(), "weir inspect's port is closed after its exit");
            }
            OpsProbe.Answer metrics = OpsProbe.get(base.resolve(Operations.METRICS_PATH));
            assertEquals(200, metrics.status());
            assertTrue(metrics.contentType().startsWith("text/plain; version=0.0.4"), metrics.contentType());
            assertTrue(metrics.body().contains("weir_events_in_total{application_id=\"weir-ops-run\",modality=\"video\"}"), metrics.body());
            // and docker/compose.yaml's health check of the container, run against it, passes
            assertEquals(0, composeHealthCheck(port), "the compose health check against a ready weir run");
            // and, being a long-running command, it logs Weir's INFO lines
            assertTrue(weir.output().contains("INFO") && weir.output().contains("-> RUNNING"), weir.output());

            // when it is sent SIGTERM
            weir.process.destroy();

            // then readiness answers 503 (or the server is already gone), and it exits cleanly within the bound
            List<Integer> statuses = new ArrayList<>();
            int status;
            do {
                status = OpsProbe.get(base.resolve(Operations.READY_PATH)).status();
                statuses.add(status);
            } while (status != -1 && weir.process.isAlive());
            int exit = weir.awaitExit(WeirRunProcessIT.STOP_BOUND);
            assertTrue(exit == 143 || exit == 0, "exit " + exit + ":\n" + weir.output());
            assertTrue(weir.output().contains("weir run: stopped cleanly"), weir.output());
            assertFalse(statuses.stream().dropWhile(s -> s != 503).anyMatch(s -> s == 200), "ready again after 503: " + statuses);
            assertEquals(-1, OpsProbe.get(base.resolve(Operations.READY_PATH)).status(), "the port is closed after the exit");
            assertEquals(-1, OpsProbe.get(inspector).status(), "the inspector's port is closed after the exit");
            assertTrue(composeHealthCheck(port) != 0, "the compose health check fails once weir is gone");
        }
    }

    /** Runs docker/compose.yaml's health check of Weir (bash, /dev/tcp) against {@code port}; its exit status. */
    static int composeHealthCheck(int port) throws Exception {
        String command = DockerFilesTest.healthCheck().replace("/dev/tcp/127.0.0.1/9400", "/dev/tcp/127.0.0.1/" + port);
        Process check = new ProcessBuilder("bash", "-c", command).redirectErrorStream(true).start();
        assertTrue(check.waitFor(10, java.util.concurrent.TimeUnit.SECONDS), "the health check hung");
        return check.exitValue();
    }

    /** Settings of one application with video topics of its own, created here, and its HTTP server on {@code port}. */
    static Map<String, String> settings(String applicationId, int port) throws Exception {
        Map<String, String> s = new TreeMap<>();
        s.put(WeirConfig.MODALITIES, "video");
        s.put("weir.topic.video.frames", applicationId + ".frames");
        s.put("weir.topic.video.tokens", applicationId + ".tokens");
        s.put("weir.topic.video.decoded", applicationId + ".decoded");
        s.put(WeirConfig.TOPIC_DEAD_LETTERS, applicationId + ".dead-letters");
        s.put(WeirConfig.BOOTSTRAP_SERVERS, stack.bootstrapServers());
        s.put(WeirConfig.SCHEMA_REGISTRY_URL, stack.registryUrl());
        s.put(WeirConfig.APPLICATION_ID, applicationId);
        s.put(WeirConfig.KERNEL_BACKEND, "jvm");
        s.put(WeirConfig.HTTP_PORT, Integer.toString(port));
        s.put(WeirConfig.METRICS_REFRESH_MS, "500");
        s.put(StreamsConfig.STATE_DIR_CONFIG, dir.resolve("state-" + applicationId).toString());
        s.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "100");
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
            TopicSetup.createMissing(admin, WeirConfig.of(s, Map.of()));
        }
        return s;
    }

    /**
     * Scrapes until {@code name} reaches {@code atLeast} (commits every 100 ms, binder refresh every 500 ms), and Weir's
     * per-task metrics are bound; every scrape must succeed.
     */
    static String awaitMetric(URI base, String name, Map<String, String> labels, double atLeast) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            OpsProbe.Answer scrape = OpsProbe.get(base.resolve(Operations.METRICS_PATH));
            assertEquals(200, scrape.status(), "every scrape succeeds, also while tasks and their metrics come and go");
            String body = scrape.body();
            OptionalDouble v = OpsProbe.sample(body, name, labels);
            boolean kafkaBound = body.contains("kafka_weir_tokens_emitted_total");
            if (v.isPresent() && v.getAsDouble() >= atLeast && kafkaBound) {
                return body;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(name + labels + " never reached " + atLeast + ":\n" + body);
            }
            Thread.sleep(250);
        }
    }

    static double value(String exposition, String name, Map<String, String> labels) {
        return OpsProbe.sample(exposition, name, labels).orElseThrow(() -> new AssertionError("no " + name + labels + " in:\n" + exposition));
    }
}
