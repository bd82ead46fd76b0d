package dev.weir.cli;

import dev.weir.inspector.Inspector;
import dev.weir.inspector.InspectorSettings;
import dev.weir.topology.TopicSetup;
import dev.weir.topology.WeirApp;
import dev.weir.topology.WeirConfig;
import dev.weir.topology.ops.Operations;
import org.apache.kafka.streams.KafkaStreams;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code weir run}: the topology against an existing cluster until SIGTERM or Ctrl-C. It prints one line
 * when it runs and one when it stopped; a stop on a signal is clean (the stream threads commit, the instance
 * leaves its consumer group) and bounded by {@link WeirApp#CLOSE_TIMEOUT}: readiness goes false first, the HTTP
 * server (when {@code weir.http.port} is set) stops after the stream threads.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run the Weir topology against an existing Kafka cluster and schema registry until stopped (SIGTERM or Ctrl-C).")
final class RunCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions options = new ConfigOptions();

    @Option(names = "--create-topics", description = "Create missing topics before starting.")
    boolean createTopics;

    @Override
    public Integer call() throws Exception {
        WeirConfig config = options.load();
        if (createTopics) {
            TopicSetup.createMissing(config);
        }
        InspectorSettings inspectorSettings = InspectorSettings.of(config); // a bad value is an error before anything starts
        WeirApp app = WeirApp.start(config);
        Inspector inspector;
        try {
            inspector = inspectorSettings.enabled() ? Inspector.start(config, inspectorSettings) : null;
        } catch (RuntimeException e) {
            app.close();
            throw e;
        }
        AtomicBoolean signalled = new AtomicBoolean();
        Thread stop = new Thread(() -> {
            signalled.set(true);
            System.err.println("weir run: stopping (signal received) ...");
            if (inspector != null) {
                inspector.close();
            }
            app.close();
            System.err.println("weir run: stopped cleanly");
        }, "weir-run-shutdown");
        Runtime.getRuntime().addShutdownHook(stop);
        System.err.println("weir run: " + config.get(WeirConfig.APPLICATION_ID) + " starting on " + config.get(WeirConfig.BOOTSTRAP_SERVERS)
                + "; SIGTERM or Ctrl-C stops it");
        app.operations().http().ifPresent(http -> System.err.println("weir run: health, readiness and metrics on " + http.uri()
                + " (" + Operations.HEALTH_PATH + ", " + Operations.READY_PATH + ", " + Operations.METRICS_PATH + ")"));
        if (inspector != null) {
            System.err.println("weir run: inspector on " + inspector.uri() + " (read-only, no authentication)");
        }
        app.running().thenRun(() -> System.err.println("weir run: " + config.get(WeirConfig.APPLICATION_ID) + " is RUNNING"));
        KafkaStreams.State end;
        try {
            end = app.terminated().get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("waiting for Kafka Streams failed", e.getCause());
        }
        if (signalled.get()) {
            return 0; // the JVM is exiting on the signal (status 143 for SIGTERM): the hook closes the app
        }
        // Stopped on its own: a failure that the uncaught-exception handler gave up on.
        Runtime.getRuntime().removeShutdownHook(stop);
        if (inspector != null) {
            inspector.close();
        }
        app.close();
        System.err.println("weir run: Kafka Streams stopped with " + end + "; see the log above for the cause");
        return 1;
    }
}
