package dev.weir.serdes;

import org.apache.avro.Schema;

/**
 * Chooses the registry subject a record's schema is registered and looked up under. Configured with
 * {@code key.subject.name.strategy} / {@code value.subject.name.strategy}; an implementation needs a public
 * no-argument constructor and must be stateless.
 *
 * @see TopicNameStrategy the default, {@code <topic>-key} / {@code <topic>-value}
 * @see RecordNameStrategy the record's full name
 * @see TopicRecordNameStrategy {@code <topic>-<full record name>}
 */
@FunctionalInterface
public interface SubjectNameStrategy {

    /**
     * @param topic  the topic the record is written to or read from
     * @param isKey  whether the schema is the record key's
     * @param schema the record's schema
     */
    String subjectName(String topic, boolean isKey, Schema schema);
}
