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

    private DeadLetterHeaders() {
    }
}
