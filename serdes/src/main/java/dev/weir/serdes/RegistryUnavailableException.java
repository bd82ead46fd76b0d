package dev.weir.serdes;

/**
 * The schema registry could not be reached, or kept answering with a server error or 429, through every
 * bounded retry. Check that the registry is running and that {@code schema.registry.url} points at it; the
 * operation can be retried later.
 */
public final class RegistryUnavailableException extends SchemaRegistryException {
    private static final long serialVersionUID = 1L;

    private final int attempts;

    public RegistryUnavailableException(String message, int attempts, Throwable cause) {
        super(message, cause);
        this.attempts = attempts;
    }

    /** How many requests were sent (or tried) before giving up. */
    public int attempts() {
        return attempts;
    }
}
