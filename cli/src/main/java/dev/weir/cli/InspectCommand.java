package dev.weir.cli;

import dev.weir.inspector.Inspector;
import dev.weir.inspector.InspectorSettings;
import dev.weir.topology.ClusterCheck;
import dev.weir.topology.WeirConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code weir inspect}: the inspector on its own, beside an application that runs elsewhere (or was started
 * without {@code weir.inspector.port}). It reads the application's topics with a {@code read_committed} consumer
 * that joins no group, so the application does not notice it, and serves the page until SIGTERM or Ctrl-C.
 */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Serve the inspector's page for a Weir application that runs elsewhere, reading its topics "
                + "(read_committed, no consumer group), until stopped (SIGTERM or Ctrl-C). Use the application's config.")
final class InspectCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions options = new ConfigOptions();

    @Option(names = "--port", paramLabel = "PORT",
            description = "The page's port (default: " + InspectorSettings.PORT + " when set, else "
                    + InspectorSettings.DEFAULT_PORT + "; 0: any free port).")
    Integer port;

    @Override
    public Integer call() throws Exception {
        if (port != null && (port < 0 || port > 65_535)) {
            throw new IllegalArgumentException("--port must be 0..65535 (0: any free port): " + port);
        }
        WeirConfig config = options.load();
        InspectorSettings settings = withChosenPort(InspectorSettings.of(config));
        // an unreachable cluster or a missing topic is one line within weir.startup.timeout.ms, as for every command
        ClusterCheck.maxMessageBytes(config, Inspector.topicsRead(config, settings), config.startupTimeout());
        CountDownLatch stopped = new CountDownLatch(1);
        Inspector inspector = Inspector.start(config, settings);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            inspector.close();
            System.err.println("weir inspect: stopped");
            stopped.countDown();
        }, "weir-inspect-shutdown"));
        System.err.println("weir inspect: " + config.get(WeirConfig.APPLICATION_ID) + " on " + inspector.uri()
                + " (read-only, no authentication); SIGTERM or Ctrl-C stops it");
        stopped.await();
        return 0;
    }

    /** {@code --port}, else {@value InspectorSettings#PORT} when set, else {@link InspectorSettings#DEFAULT_PORT}. */
    private InspectorSettings withChosenPort(InspectorSettings configured) {
        if (port != null) {
            return configured.withPort(port);
        }
        return configured.enabled() ? configured : configured.withPort(InspectorSettings.DEFAULT_PORT);
    }
}
