package dev.weir.cli;

import dev.weir.topology.TopicSetup;
import dev.weir.topology.WeirApp;
import dev.weir.topology.WeirConfig;
import org.apache.kafka.streams.KafkaStreams;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run the Weir topology against an existing Kafka cluster and schema registry until stopped.")
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
        CountDownLatch stopped = new CountDownLatch(1);
        try (WeirApp app = WeirApp.start(config)) {
            // Ctrl-C / SIGTERM closes the app; so does Kafka Streams stopping on its own (exit code 1).
            Thread hook = new Thread(() -> {
                app.close();
                stopped.countDown();
            }, "weir-run-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            app.streams().setStateListener((now, before) -> {
                if (now == KafkaStreams.State.ERROR || now == KafkaStreams.State.NOT_RUNNING || now == KafkaStreams.State.PENDING_ERROR) {
                    stopped.countDown();
                }
            });
            System.err.println("weir: running " + config.get(WeirConfig.APPLICATION_ID) + " on " + config.get(WeirConfig.BOOTSTRAP_SERVERS)
                    + "; Ctrl-C stops it");
            stopped.await();
            KafkaStreams.State state = app.streams().state();
            if (state == KafkaStreams.State.ERROR || state == KafkaStreams.State.PENDING_ERROR) {
                System.err.println("weir: Kafka Streams stopped with " + state + "; see the log above");
                return 1;
            }
        }
        return 0;
    }
}
