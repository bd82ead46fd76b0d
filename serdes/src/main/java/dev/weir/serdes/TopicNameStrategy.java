package dev.weir.serdes;

import org.apache.avro.Schema;

/**
 * The default subject name strategy: {@code <topic>-key} or {@code <topic>-value}, so every record on a topic
 * shares one schema lineage. Also accepted under Confluent's name
 * {@code io.confluent.kafka.serializers.subject.TopicNameStrategy}.
 */
public final class TopicNameStrategy implements SubjectNameStrategy {
    @Override
    public String subjectName(String topic, boolean isKey, Schema schema) {
        return topic + (isKey ? "-key" : "-value");
    }
}
