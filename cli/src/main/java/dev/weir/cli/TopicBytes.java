package dev.weir.cli;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.apache.kafka.common.Node;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;

/**
 * Bytes the broker holds per topic (the sizes of its log segments, before compaction: what was written,
 * record batches and their compression included), from {@code describeLogDirs} on every broker.
 */
final class TopicBytes {

    private final Map<String, Long> bytes;

    private TopicBytes(Map<String, Long> bytes) {
        this.bytes = bytes;
    }

    static TopicBytes read(Admin admin) throws ExecutionException, InterruptedException {
        List<Integer> brokers = admin.describeCluster().nodes().get().stream().map(Node::id).toList();
        Map<String, Long> bytes = new HashMap<>();
        for (Map<String, LogDirDescription> dirs : admin.describeLogDirs(brokers).allDescriptions().get().values()) {
            for (LogDirDescription dir : dirs.values()) {
                dir.replicaInfos().forEach((partition, replica) -> bytes.merge(partition.topic(), replica.size(), Long::sum));
            }
        }
        return new TopicBytes(bytes);
    }

    /** The bytes of {@code topic} (0 if the broker has none). */
    long of(String topic) {
        return bytes.getOrDefault(topic, 0L);
    }

    /** The bytes of Kafka Streams' changelog topics of {@code applicationId}. */
    long changelogsOf(String applicationId) {
        return bytes.entrySet().stream()
                .filter(e -> e.getKey().startsWith(applicationId + "-") && e.getKey().endsWith("-changelog"))
                .mapToLong(Map.Entry::getValue).sum();
    }
}
