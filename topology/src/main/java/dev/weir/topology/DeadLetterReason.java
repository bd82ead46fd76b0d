package dev.weir.topology;

/** Why a record went to the dead-letter topic; the value of the {@link DeadLetterHeaders#REASON} header. */
public enum DeadLetterReason {
    /** The bytes are not Confluent-framed Avro, or the Avro body is corrupt. */
    NOT_AVRO("not-avro"),
    /** The schema id is unknown to the registry. */
    UNKNOWN_SCHEMA("unknown-schema"),
    /** The record key is missing or differs from the event's streamId (per-stream state needs the key). */
    BAD_KEY("bad-key"),
    /**
     * The event is well-formed Avro but its media is not: wrong length, undecodable image, text that is not UTF-8,
     * a format this Weir does not know (an enum symbol of a newer producer's schema).
     */
    INVALID_MEDIA("invalid-media"),
    /**
     * The record, or what it would decode to, is larger than weir.max.event.bytes: the RGB frame of a video event
     * (width·height·3 bytes), the decoded record of a token batch (or of the batch an event would make).
     */
    OVERSIZED("oversized"),
    /**
     * The event's seq is not greater than the last one its stream encoded: a replayed or duplicated event,
     * or a producer retry without idempotence. It is not encoded twice.
     */
    STALE_SEQ("stale-seq"),
    /** A token batch the decoder cannot apply: other tokenizer or codebook, or a gap before a keyframe. */
    UNDECODABLE_TOKENS("undecodable-tokens"),
    /** Anything else that went wrong with this one record. */
    PROCESSING_ERROR("processing-error");

    private final String header;

    DeadLetterReason(String header) {
        this.header = header;
    }

    /** The header value. */
    public String header() {
        return header;
    }
}
