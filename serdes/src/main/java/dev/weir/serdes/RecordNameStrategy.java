package dev.weir.serdes;

import org.apache.avro.Schema;

/**
 * Subject = the record's full name (for example {@code dev.weir.avro.VideoFrame}), so one record type keeps
 * one schema lineage across topics and a topic may carry several types. Also accepted under Confluent's name
 * {@code io.confluent.kafka.serializers.subject.RecordNameStrategy}.
 */
public final class RecordNameStrategy implements SubjectNameStrategy {
    @Override
    public String subjectName(String topic, boolean isKey, Schema schema) {
        return schema.getFullName();
    }
}
