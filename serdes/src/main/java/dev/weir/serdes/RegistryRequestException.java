package dev.weir.serdes;

/**
 * The registry rejected a request with a client error (4xx other than 429), which retrying cannot fix: for
 * example 401/403 (check {@code basic.auth.user.info} / {@code bearer.auth.token}), 422 (invalid schema or
 * compatibility level), or 404 for a path the registry does not serve (check {@code schema.registry.url}).
 */
public final class RegistryRequestException extends SchemaRegistryException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final int errorCode;

    public RegistryRequestException(String message, int status, int errorCode) {
        super(message);
        this.status = status;
        this.errorCode = errorCode;
    }

    /** HTTP status code. */
    public int status() {
        return status;
    }

    /** Confluent error code from the response body ({@code error_code}, e.g. 40401, 42201), or -1. */
    public int errorCode() {
        return errorCode;
    }
}
