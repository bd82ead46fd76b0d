package dev.weir.serdes;

/**
 * A serializer needed a schema that is not registered under its subject and was not allowed to register it
 * ({@code auto.register.schemas=false}), or {@code use.latest.version=true} found no version. Register the
 * schema first (Weir's {@link SchemaBootstrap} does at start-up) or enable {@code auto.register.schemas}.
 */
public final class SchemaNotRegisteredException extends SchemaRegistryException {
    private static final long serialVersionUID = 1L;

    private final String subject;

    public SchemaNotRegisteredException(String subject, String message) {
        super(message);
        this.subject = subject;
    }

    public String subject() {
        return subject;
    }
}
