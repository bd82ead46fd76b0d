package dev.weir.serdes;

import org.apache.kafka.common.errors.SerializationException;

/**
 * A record's Avro body is well framed but a string in it is not valid UTF-8 (the Avro specification requires
 * UTF-8; Java's decoding would silently replace the bad bytes with U+FFFD and pass the damage on). The message
 * names the field's schema and the byte offset of the first bad sequence.
 */
public final class InvalidUtf8Exception extends SerializationException {

    private static final long serialVersionUID = 1L;

    public InvalidUtf8Exception(String message) {
        super(message);
    }
}
