package dev.weir.serdes;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

import org.apache.avro.Schema;

import dev.weir.serdes.internals.AvroCompatibility;

/**
 * A {@link SchemaRegistryClient} that keeps its registry in memory, with Confluent Schema Registry's semantics:
 * ids are registry-wide and shared by identical schemas across subjects, versions count from 1 per subject,
 * registering an existing schema returns its id, and compatibility levels (default BACKWARD, like Confluent)
 * are enforced with Avro's {@code SchemaCompatibility}. For unit tests and {@code TopologyTestDriver}; share one
 * instance between the serdes of a test so they see the same registry. Thread-safe.
 */
public final class InMemorySchemaRegistryClient implements SchemaRegistryClient {
    private final Map<Integer, Schema> schemasById = new HashMap<>();
    private final Map<Schema, Integer> idsBySchema = new HashMap<>();
    private final Map<String, List<RegisteredSchema>> versionsBySubject = new TreeMap<>();
    private final Map<String, CompatibilityLevel> subjectLevels = new HashMap<>();
    private CompatibilityLevel globalLevel;
    private int nextId = 1;

    /** An empty registry with global compatibility BACKWARD (Confluent's default). */
    public InMemorySchemaRegistryClient() {
        this(CompatibilityLevel.BACKWARD);
    }

    /** An empty registry with the given global compatibility level. */
    public InMemorySchemaRegistryClient(CompatibilityLevel globalLevel) {
        this.globalLevel = Objects.requireNonNull(globalLevel, "globalLevel");
    }

    @Override
    public synchronized int register(String subject, Schema schema) {
        Optional<RegisteredSchema> existing = lookup(subject, schema);
        if (existing.isPresent()) {
            return existing.get().id();
        }
        List<String> violations = violations(subject, schema);
        if (!violations.isEmpty()) {
            throw new IncompatibleSchemaException(subject, violations);
        }
        int id = idsBySchema.computeIfAbsent(schema, s -> nextId++);
        schemasById.putIfAbsent(id, schema);
        List<RegisteredSchema> versions = versionsBySubject.computeIfAbsent(subject, s -> new ArrayList<>());
        versions.add(new RegisteredSchema(subject, id, versions.size() + 1, schema));
        return id;
    }

    @Override
    public synchronized Schema getById(int id) {
        Schema schema = schemasById.get(id);
        if (schema == null) {
            throw new UnknownSchemaIdException(id, "in-memory");
        }
        return schema;
    }

    @Override
    public synchronized Optional<RegisteredSchema> lookup(String subject, Schema schema) {
        return versionsBySubject.getOrDefault(subject, List.of()).stream()
                .filter(version -> version.schema().equals(schema))
                .findFirst();
    }

    @Override
    public synchronized Optional<RegisteredSchema> latest(String subject) {
        List<RegisteredSchema> versions = versionsBySubject.getOrDefault(subject, List.of());
        return versions.isEmpty() ? Optional.empty() : Optional.of(versions.getLast());
    }

    @Override
    public synchronized CompatibilityCheck testCompatibility(String subject, Schema schema) {
        List<String> violations = violations(subject, schema);
        return new CompatibilityCheck(violations.isEmpty(), violations);
    }

    @Override
    public synchronized CompatibilityLevel globalCompatibility() {
        return globalLevel;
    }

    @Override
    public synchronized void setGlobalCompatibility(CompatibilityLevel level) {
        globalLevel = Objects.requireNonNull(level, "level");
    }

    @Override
    public synchronized Optional<CompatibilityLevel> subjectCompatibility(String subject) {
        return Optional.ofNullable(subjectLevels.get(subject));
    }

    @Override
    public synchronized void setSubjectCompatibility(String subject, CompatibilityLevel level) {
        subjectLevels.put(subject, Objects.requireNonNull(level, "level"));
    }

    @Override
    public synchronized List<String> subjects() {
        return List.copyOf(versionsBySubject.keySet());
    }

    @Override
    public void close() {
        // nothing to release
    }

    private List<String> violations(String subject, Schema schema) {
        CompatibilityLevel level = subjectLevels.getOrDefault(subject, globalLevel);
        List<Schema> existing = versionsBySubject.getOrDefault(subject, List.of()).stream()
                .map(RegisteredSchema::schema).toList();
        return AvroCompatibility.violations(level, schema, existing);
    }
}
