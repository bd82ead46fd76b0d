package dev.weir.serdes;

import java.util.Objects;

import org.apache.avro.Schema;

/**
 * One version of a subject: the registry-wide {@code id} (what the wire format carries), the per-subject
 * {@code version} and the schema itself.
 */
public record RegisteredSchema(String subject, int id, int version, Schema schema) {
    public RegisteredSchema {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(schema, "schema");
    }
}
