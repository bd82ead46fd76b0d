package dev.weir.serdes;

/**
 * A record names a schema id the registry does not know: the record was written against another registry,
 * or the schema was deleted. Point {@code schema.registry.url} at the registry the producer used.
 */
public final class UnknownSchemaIdException extends SchemaRegistryException {
    private static final long serialVersionUID = 1L;

    private final int schemaId;

    public UnknownSchemaIdException(int schemaId, String registry) {
        super("schema id " + schemaId + " is not known to the schema registry at " + registry
                + ": the record was written with another registry, or the schema was deleted; point "
                + "schema.registry.url at the registry the producer used");
        this.schemaId = schemaId;
    }

    public int schemaId() {
        return schemaId;
    }
}
