package dev.weir.topology;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * What Weir checks on the cluster before it starts, so that a wrong address, a missing topic or a topic too
 * small for Weir's records is one clear line at start-up instead of a stream thread failing later: the
 * brokers answer, the topics exist, and each topic accepts the records Weir writes to it.
 */
public final class ClusterCheck {

    /** The check's admin client id (the log configuration keeps its reconnect warnings quiet). */
    public static final String CLIENT_ID = "weir-startup-check";

    private ClusterCheck() {
    }

    /**
     * The largest record each of {@code topics} accepts ({@code max.message.bytes}, the topic's own or the
     * broker's default).
     *
     * @throws WeirStartupException when the brokers do not answer within {@code timeout} or a topic is missing
     */
    public static Map<String, Integer> maxMessageBytes(WeirConfig config, Collection<String> topics, Duration timeout) {
        try (Admin admin = admin(config, timeout)) {
            return maxMessageBytes(admin, config.get(WeirConfig.BOOTSTRAP_SERVERS), topics, timeout);
        }
    }

    /**
     * An admin client of {@code config}'s connection and security settings whose calls give up after
     * {@code timeout}, with the check's client id (its reconnect warnings stay quiet: the caller reports an
     * unreachable cluster in one line).
     */
    static Admin admin(WeirConfig config, Duration timeout) {
        Map<String, Object> adminConfig = new java.util.TreeMap<>(config.clientConfig(AdminClientConfig.configNames()));
        int ms = (int) timeout.toMillis();
        adminConfig.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, ms);
        adminConfig.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, ms);
        adminConfig.put(AdminClientConfig.CLIENT_ID_CONFIG, CLIENT_ID);
        return Admin.create(adminConfig);
    }

    /**
     * The names of the cluster's topics.
     *
     * @throws WeirStartupException when the brokers do not answer within {@code timeout} or refuse
     */
    static Set<String> topicNames(Admin admin, String bootstrap, Duration timeout) {
        return get(admin.listTopics().names(), bootstrap, timeout);
    }

    static Map<String, Integer> maxMessageBytes(Admin admin, String bootstrap, Collection<String> topics, Duration timeout) {
        Set<String> existing = topicNames(admin, bootstrap, timeout);
        List<String> missing = topics.stream().filter(t -> !existing.contains(t)).distinct().toList();
        if (!missing.isEmpty()) {
            throw new WeirStartupException((missing.size() == 1 ? "topic " : "topics ") + String.join(", ", missing)
                    + (missing.size() == 1 ? " does" : " do") + " not exist on " + bootstrap
                    + ": create Weir's topics with `weir topics --config FILE` (or start with --create-topics)");
        }
        List<ConfigResource> resources = new ArrayList<>();
        topics.stream().distinct().forEach(t -> resources.add(new ConfigResource(ConfigResource.Type.TOPIC, t)));
        Map<ConfigResource, Config> configs = get(admin.describeConfigs(resources).all(), bootstrap, timeout);
        Map<String, Integer> limits = new java.util.TreeMap<>();
        configs.forEach((resource, config) -> {
            ConfigEntry entry = config.get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG);
            limits.put(resource.name(), entry == null || entry.value() == null ? Integer.MAX_VALUE : Integer.parseInt(entry.value()));
        });
        return limits;
    }

    /**
     * Refuses to start when a topic Weir writes media to accepts smaller records than
     * {@code weir.max.event.bytes}: a good event's output would then be refused by the broker, and under
     * exactly-once the task would fail on it again after every restart.
     */
    public static void requireRoomForEvents(Map<String, Integer> limits, Collection<String> outputs, int maxEventBytes) {
        for (String topic : outputs) {
            int limit = limits.getOrDefault(topic, Integer.MAX_VALUE);
            if (limit < maxEventBytes) {
                throw new WeirStartupException("topic " + topic + " accepts records up to " + limit + " bytes (max.message.bytes) but "
                        + WeirConfig.MAX_EVENT_BYTES + " is " + maxEventBytes + ": raise the topic's max.message.bytes or lower "
                        + WeirConfig.MAX_EVENT_BYTES);
            }
        }
    }

    private static <T> T get(org.apache.kafka.common.KafkaFuture<T> future, String bootstrap, Duration timeout) {
        try {
            return future.get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            if (cause instanceof org.apache.kafka.common.errors.TimeoutException || cause instanceof TimeoutException) {
                throw new WeirStartupException("cannot reach the Kafka brokers at " + bootstrap + " within " + timeout.toSeconds()
                        + " s: check bootstrap.servers, that the brokers run, and the security settings", cause);
            }
            throw new WeirStartupException("the Kafka brokers at " + bootstrap + " refused Weir's start-up check: " + cause.getMessage(), cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WeirStartupException("interrupted while checking the Kafka brokers at " + bootstrap, e);
        }
    }
}
