package dev.weir.serdes;

import java.io.Closeable;
import java.util.List;
import java.util.Optional;

import org.apache.avro.Schema;

/**
 * The operations Weir needs from a Confluent-compatible schema registry.
 *
 * <p>Two implementations: {@link RestSchemaRegistryClient} talks to a real registry (Confluent Schema Registry,
 * Apicurio Registry's {@code /apis/ccompat/v7}, ...) over HTTP; {@link InMemorySchemaRegistryClient} keeps
 * everything in memory with the same semantics, for unit tests and {@code TopologyTestDriver}.
 *
 * <p>Implementations are thread-safe. Every method may throw {@link RegistryUnavailableException} when the
 * registry cannot be reached, and {@link RegistryRequestException} when the registry rejects a request.
 */
public interface SchemaRegistryClient extends Closeable {

    /**
     * Registers {@code schema} under {@code subject} (idempotent: an identical schema returns its existing id).
     *
     * @return the registry-wide schema id, the one written into the Confluent wire format
     * @throws IncompatibleSchemaException when the subject's compatibility level rejects the schema
     */
    int register(String subject, Schema schema);

    /**
     * The schema with this registry-wide id.
     *
     * @throws UnknownSchemaIdException when the registry has no schema with this id
     */
    Schema getById(int id);

    /** The id and version {@code schema} has under {@code subject}, or empty when it is not registered there. */
    Optional<RegisteredSchema> lookup(String subject, Schema schema);

    /** The latest version registered under {@code subject}, or empty when the subject does not exist. */
    Optional<RegisteredSchema> latest(String subject);

    /**
     * Whether {@code schema} could be registered under {@code subject} now, under the subject's effective
     * compatibility level. A subject that does not exist yet accepts any schema.
     */
    CompatibilityCheck testCompatibility(String subject, Schema schema);

    /** The registry-wide default compatibility level ({@code GET /config}). */
    CompatibilityLevel globalCompatibility();

    /** Sets the registry-wide default compatibility level ({@code PUT /config}). */
    void setGlobalCompatibility(CompatibilityLevel level);

    /** The level set on {@code subject} itself ({@code GET /config/{subject}}), or empty when it inherits the global one. */
    Optional<CompatibilityLevel> subjectCompatibility(String subject);

    /** Sets the compatibility level of one subject ({@code PUT /config/{subject}}); the subject need not exist yet. */
    void setSubjectCompatibility(String subject, CompatibilityLevel level);

    /** All subjects, sorted. */
    List<String> subjects();

    /** Releases resources (HTTP client threads); the client must not be used afterwards. */
    @Override
    void close();
}
