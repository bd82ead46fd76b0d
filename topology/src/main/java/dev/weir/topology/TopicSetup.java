package dev.weir.topology;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;

/**
 * Creates Weir's topics with the configs it needs: room for video-sized records, and compaction off
 * (these are event streams). Existing topics are left as they are.
 */
public final class TopicSetup {

    private TopicSetup() {
    }

    /** The topics to create for {@code config}, with their configs. */
    public static List<NewTopic> plan(WeirConfig config) {
        int partitions = config.getInt(WeirConfig.TOPIC_PARTITIONS);
        short replication = (short) config.getInt(WeirConfig.TOPIC_REPLICATION);
        Map<String, String> topicConfig = Map.of(
                TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(config.getInt(WeirConfig.MAX_EVENT_BYTES)),
                TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE);
        List<NewTopic> topics = new ArrayList<>();
        TopicNames names = config.topics();
        for (String name : names.all()) {
            int n = name.equals(names.deadLetters()) ? 1 : partitions;
            topics.add(new NewTopic(name, n, replication).configs(topicConfig));
        }
        return topics;
    }

    /**
     * Creates the topics that do not exist yet, with an admin client of {@code config}'s connection and security
     * settings.
     *
     * @throws WeirStartupException when the brokers cannot be reached within {@value WeirConfig#STARTUP_TIMEOUT_MS}
     *                              or refuse (credentials, authorization)
     */
    public static List<String> createMissing(WeirConfig config) throws InterruptedException {
        try (Admin admin = ClusterCheck.admin(config, config.startupTimeout())) {
            // listed within the start-up timeout, so an unreachable cluster is one clear line
            return createMissing(admin, config, ClusterCheck.topicNames(admin, config.get(WeirConfig.BOOTSTRAP_SERVERS), config.startupTimeout()));
        }
    }

    /**
     * Waits until every broker's metadata lists {@code topics}: creation is acknowledged by the controller before
     * the brokers know of a topic, and a {@code weir run} started right after {@code weir topics} must find them.
     */
    private static void awaitListed(Admin admin, List<String> topics) throws InterruptedException, ExecutionException {
        long deadline = System.nanoTime() + VISIBLE_WITHIN.toNanos();
        while (!admin.listTopics().names().get().containsAll(topics) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
    }

    private static final java.time.Duration VISIBLE_WITHIN = java.time.Duration.ofSeconds(30);

    /** Creates the topics that do not exist yet and waits until the brokers list them; returns the names it created. */
    public static List<String> createMissing(Admin admin, WeirConfig config) throws InterruptedException {
        try {
            return createMissing(admin, config, admin.listTopics().names().get());
        } catch (ExecutionException e) {
            throw new WeirStartupException("could not list topics: " + e.getCause().getMessage(), e.getCause());
        }
    }

    private static List<String> createMissing(Admin admin, WeirConfig config, Set<String> existing) throws InterruptedException {
        List<String> created = new ArrayList<>();
        try {
            List<NewTopic> missing = plan(config).stream().filter(t -> !existing.contains(t.name())).toList();
            if (missing.isEmpty()) {
                return created;
            }
            var result = admin.createTopics(missing);
            for (NewTopic topic : missing) {
                try {
                    result.values().get(topic.name()).get();
                    created.add(topic.name());
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new WeirStartupException("could not create topic " + topic.name() + ": " + e.getCause().getMessage(), e.getCause());
                    }
                }
            }
            if (!created.isEmpty()) {
                awaitListed(admin, created);
            }
            return created;
        } catch (ExecutionException e) {
            throw new WeirStartupException("could not list topics: " + e.getCause().getMessage(), e.getCause());
        }
    }
}
