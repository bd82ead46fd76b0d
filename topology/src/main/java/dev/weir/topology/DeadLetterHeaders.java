package dev.weir.topology;

/**
 * Headers Weir puts on every dead-letter record, beside the original key, value and headers, so an
 * operator can see with ordinary Kafka tooling why a record was set aside and where it came from.
 */
public final class DeadLetterHeaders {

    /** A short, stable category: see {@link DeadLetterReason}. */
    public static final String REASON = "weir.error.reason";
    /** The error message, for a person. */
    public static final String MESSAGE = "weir.error.message";
    /** The exception class. */
    public static final String EXCEPTION = "weir.error.exception";
    /** The processor that set the record aside. */
    public static final String PROCESSOR = "weir.error.processor";
    public static final String SOURCE_TOPIC = "weir.source.topic";
    public static final String SOURCE_PARTITION = "weir.source.partition";
    public static final String SOURCE_OFFSET = "weir.source.offset";
    /**
     * Present when the dead letter does not carry the whole bad value because it would not fit the
     * dead-letter topic: {@code prefix} (the first bytes are kept) or {@code dropped} (none are).
     */
    public static final String VALUE_TRUNCATED = "weir.error.value.truncated";
    /** The size of the bad record's value in bytes, on every dead letter whose value was truncated. */
    public static final String VALUE_BYTES = "weir.error.value.bytes";
    /** How many of the bad record's own headers were left out because they would not fit. */
    public static final String HEADERS_DROPPED = "weir.error.headers.dropped";

    private DeadLetterHeaders() {
    }
}
