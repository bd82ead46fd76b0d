package dev.weir.cli;

import dev.weir.inspector.Inspector;
import dev.weir.inspector.InspectorSettings;
import dev.weir.stack.LocalStack;
import dev.weir.stack.StackEndpoints;
import dev.weir.topology.TopicSetup;
import dev.weir.topology.WeirApp;
import dev.weir.topology.WeirConfig;
import org.apache.kafka.streams.StreamsConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run Weir end to end on the embedded default: start (or reuse) a local KRaft broker and Apicurio "
                + "Registry, create the topics, produce the bundled sample video, audio and text, run the "
                + "topology, wait for the token batches and decoded media, print a summary and write the decoded "
                + "samples under --out (frames as PNG, audio as WAV with a spectrogram, text as files; the "
                + "previous demo's are replaced).")
final class DemoCommand implements Callable<Integer> {

    @Option(names = "--work-dir", paramLabel = "DIR", description = "Stack and state directory (default: ${DEFAULT-VALUE}).")
    Path workDir = Path.of(".weir");

    @Option(names = "--out", paramLabel = "DIR", description = "Where decoded samples are written (default: ${DEFAULT-VALUE}).")
    Path out = Path.of("weir-demo");

    @Option(names = "--samples", paramLabel = "DIR", description = "Sample media folder (default: the bundled samples/).")
    Path samples;

    @Option(names = "--frames", paramLabel = "N", description = "Frames per sample stream (default: ${DEFAULT-VALUE}).")
    int frames = 30;

    @Option(names = "--backend", paramLabel = "B", description = "Kernel backend: auto, jvm, jvm-scalar, opencl (default: ${DEFAULT-VALUE}).")
    String backend = "auto";

    @Option(names = "--timeout", paramLabel = "SECONDS", description = "How long to wait for the outputs (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds = 150;

    @Option(names = "--keep-running", description = "Leave the stack and the topology running for inspection until "
            + "Ctrl-C, and serve the inspector (a live web page of every stream) from the start: see --inspector-port.")
    boolean keepRunning;

    @Option(names = "--inspector-port", paramLabel = "PORT", description = "With --keep-running: the inspector's port on "
            + "127.0.0.1 (default: ${DEFAULT-VALUE}; any free port when it is taken or 0).")
    int inspectorPort = InspectorSettings.DEFAULT_PORT;

    @Override
    public Integer call() throws Exception {
        Path sampleDir = samples != null ? samples : defaultSamples();
        Path stackDir = workDir.resolve("stack");
        Optional<StackEndpoints> running = LocalStack.findRunning(stackDir);
        LocalStack owned = null;
        long t0 = System.nanoTime();
        StackEndpoints endpoints;
        if (running.isPresent()) {
            endpoints = running.get();
            System.out.println("reusing the stack running from " + stackDir + ": " + endpoints);
        } else {
            System.out.println("starting a local KRaft broker and Apicurio Registry under " + stackDir + " ...");
            owned = LocalStack.start(stackDir);
            endpoints = owned.endpoints();
            System.out.printf("stack up in %.1f s: bootstrap.servers=%s schema.registry.url=%s%n",
                    seconds(t0), endpoints.bootstrapServers(), endpoints.registryUrl());
        }
        // State belongs to one broker's changelogs: keep it per stack, and start clean on a new stack.
        Path stateDir = workDir.resolve("demo-state").resolve((endpoints.bootstrapServers() + "_" + endpoints.registryUrl())
                .replaceAll("[^A-Za-z0-9.]+", "_"));
        if (owned != null) {
            deleteRecursively(workDir.resolve("demo-state"));
        }
        Map<String, String> settings = new TreeMap<>();
        settings.put(WeirConfig.BOOTSTRAP_SERVERS, endpoints.bootstrapServers());
        settings.put(WeirConfig.SCHEMA_REGISTRY_URL, endpoints.registryUrl());
        settings.put(WeirConfig.APPLICATION_ID, "weir-demo");
        settings.put(WeirConfig.KERNEL_BACKEND, backend);
        settings.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toAbsolutePath().toString());
        settings.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "100");
        WeirConfig config = WeirConfig.of(settings, Map.of());

        var created = TopicSetup.createMissing(config);
        if (!created.isEmpty()) {
            System.out.println("created topics " + created);
        }

        int exit;
        WeirApp app = WeirApp.start(config);
        Inspector inspector = null;
        try {
            app.awaitRunning(Duration.ofSeconds(60));
            if (keepRunning) {
                inspector = startInspector(config);
                System.out.println("inspector: " + inspector.uri() + " (open it now to watch the samples go through)");
            }
            System.out.printf("topology running (%.1f s since start); producing samples from %s%n", seconds(t0), sampleDir);
            DemoDriver driver = new DemoDriver(config, sampleDir, frames);
            DemoDriver.Result result = driver.run(Duration.ofSeconds(timeoutSeconds));
            result.printSummary(System.out, app.streams().metrics());
            result.writeSamples(out);
            System.out.printf("decoded samples written under %s%n", out.toAbsolutePath());
            System.out.printf("demo finished in %.1f s%n", seconds(t0));
            exit = result.complete() ? 0 : 1;
            if (keepRunning) {
                printInspectionHelp(config, inspector);
                CountDownLatch stop = new CountDownLatch(1);
                Inspector shown = inspector;
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    shown.close();
                    app.close(); // before the JVM halts; the stack's own hooks stop the broker and registry
                    stop.countDown();
                }, "weir-demo-stop"));
                stop.await();
            }
        } finally {
            if (inspector != null) {
                inspector.close();
            }
            app.close();
            if (owned != null) {
                owned.close();
            }
        }
        return exit;
    }

    /**
     * The inspector on 127.0.0.1:{@link #inspectorPort} (any free port when it is taken), reading this run's records
     * only (no lookback), inputs included: the demo's media are the bundled samples.
     */
    private Inspector startInspector(WeirConfig config) {
        InspectorSettings settings = new InspectorSettings(inspectorPort, "127.0.0.1", InspectorSettings.DEFAULT_WINDOW,
                InspectorSettings.DEFAULT_STREAMS, true, 0);
        try {
            return Inspector.start(config, settings);
        } catch (dev.weir.topology.WeirStartupException e) {
            if (inspectorPort == 0) {
                throw e;
            }
            System.out.println("port " + inspectorPort + " is taken; the inspector takes a free one");
            return Inspector.start(config, settings.withPort(0));
        }
    }

    private static void printInspectionHelp(WeirConfig config, Inspector inspector) {
        String bs = config.get(WeirConfig.BOOTSTRAP_SERVERS);
        String reg = config.get(WeirConfig.SCHEMA_REGISTRY_URL);
        System.out.println();
        System.out.println("Everything stays up until Ctrl-C. Watch every stream in the inspector: " + inspector.uri());
        System.out.println("Or inspect the topics with Kafka tooling, for example:");
        System.out.println("  ./weir consume tokens --from-beginning -b " + bs + " -r " + reg);
        System.out.println("  ./weir consume dead-letters --from-beginning -b " + bs + " -r " + reg);
        System.out.println("  kafka-topics.sh --bootstrap-server " + bs + " --list");
        System.out.println("  kafka-console-consumer.sh --bootstrap-server " + bs + " --topic " + config.topics().deadLetters()
                + " --from-beginning --property print.headers=true");
        System.out.println("  curl " + reg + "/subjects");
    }

    static Path defaultSamples() {
        String home = System.getProperty("weir.home");
        Path base = home != null ? Path.of(home) : Path.of(".");
        return base.resolve("samples");
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
