package dev.weir.topology.internals;

import dev.weir.topology.DeadLetterReason;

/** One record Weir cannot use, and why: the processor sends it to the dead-letter topic and goes on. */
public final class BadRecordException extends Exception {

    private final DeadLetterReason reason;

    public BadRecordException(DeadLetterReason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public BadRecordException(DeadLetterReason reason, String message) {
        this(reason, message, null);
    }

    public DeadLetterReason reason() {
        return reason;
    }

    /** The class of the underlying error, or of this exception. */
    public String exceptionClass() {
        return (getCause() != null ? getCause() : this).getClass().getName();
    }
}
