package dev.weir.serdes;

import org.apache.kafka.common.errors.SerializationException;

/**
 * Base of the schema-registry failures a Weir serde or client throws. It is a Kafka
 * {@link SerializationException}, so Kafka's serialization and production exception handlers see it (Weir's
 * topology routes such records to a dead-letter topic instead of letting the stream thread die).
 */
public class SchemaRegistryException extends SerializationException {
    private static final long serialVersionUID = 1L;

    public SchemaRegistryException(String message) {
        super(message);
    }

    public SchemaRegistryException(String message, Throwable cause) {
        super(message, cause);
    }
}
