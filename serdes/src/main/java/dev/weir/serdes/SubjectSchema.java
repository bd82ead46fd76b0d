package dev.weir.serdes;

import java.util.Objects;

import org.apache.avro.Schema;

/** A schema and the subject it belongs under, as {@link SchemaBootstrap} takes them. */
public record SubjectSchema(String subject, Schema schema) {
    public SubjectSchema {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(schema, "schema");
    }

    /** The value schema of {@code topic} under the default {@link TopicNameStrategy}: subject {@code <topic>-value}. */
    public static SubjectSchema topicValue(String topic, Schema schema) {
        return new SubjectSchema(new TopicNameStrategy().subjectName(topic, false, schema), schema);
    }

    /** The key schema of {@code topic} under the default {@link TopicNameStrategy}: subject {@code <topic>-key}. */
    public static SubjectSchema topicKey(String topic, Schema schema) {
        return new SubjectSchema(new TopicNameStrategy().subjectName(topic, true, schema), schema);
    }
}
