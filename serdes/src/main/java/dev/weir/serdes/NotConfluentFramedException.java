package dev.weir.serdes;

import org.apache.kafka.common.errors.SerializationException;

/**
 * The bytes of a record are not Confluent-framed Avro ({@code 0x00}, 4-byte big-endian schema id, Avro
 * binary body). {@link #reason()} says which part is wrong. Usually a producer that does not use a Confluent
 * wire-format serializer wrote to the topic, or the record was written with a different schema than its id
 * names; fix the producer. The record cannot be read and belongs in a dead-letter topic.
 */
public final class NotConfluentFramedException extends SerializationException {
    private static final long serialVersionUID = 1L;

    /** What is wrong with the bytes. */
    public enum Reason {
        /** Fewer than the 5 header bytes (magic byte + schema id). */
        TOO_SHORT,
        /** The first byte is not the magic byte 0. */
        WRONG_MAGIC,
        /** The header is fine but the Avro body does not decode with the writer schema the id names. */
        CORRUPT_BODY
    }

    private final Reason reason;

    public NotConfluentFramedException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public NotConfluentFramedException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
