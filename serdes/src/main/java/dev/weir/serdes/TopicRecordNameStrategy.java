package dev.weir.serdes;

import org.apache.avro.Schema;

/**
 * Subject = {@code <topic>-<full record name>}: several record types per topic, each with its own lineage per
 * topic. Also accepted under Confluent's name
 * {@code io.confluent.kafka.serializers.subject.TopicRecordNameStrategy}.
 */
public final class TopicRecordNameStrategy implements SubjectNameStrategy {
    @Override
    public String subjectName(String topic, boolean isKey, Schema schema) {
        return topic + "-" + schema.getFullName();
    }
}
