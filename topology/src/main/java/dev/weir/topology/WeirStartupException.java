package dev.weir.topology;

/**
 * Weir cannot start with this configuration against this cluster: the brokers or the registry cannot be
 * reached, a topic is missing or too small for Weir's records, or a kernel backend asked for is absent.
 * The message is one line that says what is wrong and what to do about it; the command line prints it
 * without a stack trace.
 */
public final class WeirStartupException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public WeirStartupException(String message) {
        super(message);
    }

    public WeirStartupException(String message, Throwable cause) {
        super(message, cause);
    }
}
