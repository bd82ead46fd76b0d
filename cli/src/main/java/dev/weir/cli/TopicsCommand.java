package dev.weir.cli;

import dev.weir.topology.TopicSetup;
import dev.weir.topology.WeirConfig;
import org.apache.kafka.clients.admin.NewTopic;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "topics", mixinStandardHelpOptions = true,
        description = "Create Weir's topics (inputs, token batches, decoded media, dead letters) with the configs they need.")
final class TopicsCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions options = new ConfigOptions();

    @Option(names = "--dry-run", description = "Print the topics and configs without creating anything.")
    boolean dryRun;

    @Override
    public Integer call() throws Exception {
        WeirConfig config = options.load();
        List<NewTopic> plan = TopicSetup.plan(config);
        List<String> created = dryRun ? List.of() : TopicSetup.createMissing(config); // a failure is one line, before any output
        for (NewTopic topic : plan) {
            System.out.printf("%-28s partitions=%d replication=%d %s%n", topic.name(), topic.numPartitions(),
                    topic.replicationFactor(), topic.configs());
        }
        if (!dryRun) {
            System.out.println(created.isEmpty() ? "all topics exist" : "created " + created);
        }
        return 0;
    }
}
