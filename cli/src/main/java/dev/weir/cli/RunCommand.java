package dev.weir.cli;

import dev.weir.topology.TopicSetup;
import dev.weir.topology.WeirApp;
import dev.weir.topology.WeirConfig;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.Map;
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
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.get(WeirConfig.BOOTSTRAP_SERVERS)))) {
                TopicSetup.createMissing(admin, config);
            }
        }
        CountDownLatch stopped = new CountDownLatch(1);
        try (WeirApp app = WeirApp.start(config)) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                app.close();
                stopped.countDown();
            }, "weir-run-shutdown"));
            System.err.println("weir: running " + config.get(WeirConfig.APPLICATION_ID) + " on " + config.get(WeirConfig.BOOTSTRAP_SERVERS)
                    + "; Ctrl-C stops it");
            stopped.await();
        }
        return 0;
    }
}
