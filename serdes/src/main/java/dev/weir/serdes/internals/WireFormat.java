package dev.weir.serdes.internals;

import dev.weir.serdes.NotConfluentFramedException;
import dev.weir.serdes.NotConfluentFramedException.Reason;

/**
 * The Confluent wire format: magic byte {@code 0}, the schema id as a 4-byte big-endian int, then the Avro
 * binary encoding of the record.
 */
public final class WireFormat {
    public static final byte MAGIC_BYTE = 0;
    public static final int HEADER_SIZE = 5;

    private WireFormat() {
    }

    /** Writes the 5-byte header for {@code schemaId} into {@code target[0..5)}. */
    public static void writeHeader(byte[] target, int schemaId) {
        target[0] = MAGIC_BYTE;
        target[1] = (byte) (schemaId >>> 24);
        target[2] = (byte) (schemaId >>> 16);
        target[3] = (byte) (schemaId >>> 8);
        target[4] = (byte) schemaId;
    }

    /** The schema id of a framed record, after checking the header. */
    public static int schemaId(byte[] framed, String topic) {
        if (framed.length < HEADER_SIZE) {
            throw new NotConfluentFramedException(Reason.TOO_SHORT, "record on topic '" + topic + "' has "
                    + framed.length + " bytes, fewer than the 5-byte Confluent header (magic byte 0 + schema id): "
                    + "it was not written by a Confluent wire-format Avro serializer; fix the producer");
        }
        if (framed[0] != MAGIC_BYTE) {
            throw new NotConfluentFramedException(Reason.WRONG_MAGIC, "record on topic '" + topic
                    + "' starts with byte 0x" + String.format("%02x", framed[0] & 0xff)
                    + " instead of the Confluent magic byte 0x00: it was not written by a Confluent wire-format "
                    + "Avro serializer (plain Avro, JSON, or another framing); fix the producer");
        }
        return ((framed[1] & 0xff) << 24) | ((framed[2] & 0xff) << 16) | ((framed[3] & 0xff) << 8) | (framed[4] & 0xff);
    }
}
