package dev.weir.serdes;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Prepares the registry at application start-up: for each subject, sets its compatibility level (BACKWARD by
 * default) and registers its schema. Idempotent: running it again against the same registry changes nothing
 * and returns the same ids; a changed schema is registered as a new version if the level allows it, otherwise
 * start-up fails with {@link IncompatibleSchemaException}, before any record is written.
 *
 * <p>Instances of one application may run it at the same moment: a level or a schema that another instance
 * wrote first is accepted as written, not reported as a conflict.
 *
 * <p>Serializers may then run with {@code auto.register.schemas=false}.
 */
public final class SchemaBootstrap {
    private static final Logger LOG = LoggerFactory.getLogger(SchemaBootstrap.class);

    private final SchemaRegistryClient client;
    private final CompatibilityLevel level;

    /** A bootstrap that sets BACKWARD compatibility (Weir's policy) on every subject. */
    public SchemaBootstrap(SchemaRegistryClient client) {
        this(client, CompatibilityLevel.BACKWARD);
    }

    public SchemaBootstrap(SchemaRegistryClient client, CompatibilityLevel level) {
        this.client = Objects.requireNonNull(client, "client");
        this.level = Objects.requireNonNull(level, "level");
    }

    /**
     * Sets the compatibility level of each subject (when it differs), then registers its schema.
     *
     * @return the registered version of each subject's schema, in the given order
     * @throws IncompatibleSchemaException when a schema breaks its subject's compatibility level
     * @throws RegistryUnavailableException when the registry cannot be reached
     */
    public List<RegisteredSchema> run(List<SubjectSchema> subjects) {
        List<RegisteredSchema> registered = new ArrayList<>(subjects.size());
        for (SubjectSchema entry : subjects) {
            String subject = entry.subject();
            Optional<CompatibilityLevel> current = client.subjectCompatibility(subject);
            if (current.isEmpty() || current.get() != level) {
                client.setSubjectCompatibility(subject, level);
                LOG.info("Schema registry subject {}: compatibility {} (was {})", subject, level,
                        current.map(Enum::name).orElse("inherited"));
            }
            int id = register(subject, entry);
            RegisteredSchema version = client.lookup(subject, entry.schema()).orElseThrow(() -> new SchemaRegistryException(
                    "schema registry registered " + entry.schema().getFullName() + " under subject '" + subject
                            + "' with id " + id + " but cannot find it there afterwards"));
            LOG.info("Schema registry subject {}: {} is id {} version {}", subject, entry.schema().getFullName(),
                    version.id(), version.version());
            registered.add(version);
        }
        return List.copyOf(registered);
    }

    /**
     * Registers the schema. A refusal is final only when the schema is not under the subject afterwards: an
     * instance starting at the same moment may have created the subject with this very schema, and some
     * registries answer the loser of that race with a 409 too.
     */
    private int register(String subject, SubjectSchema entry) {
        try {
            return client.register(subject, entry.schema());
        } catch (IncompatibleSchemaException refused) {
            try {
                return client.lookup(subject, entry.schema()).map(RegisteredSchema::id).orElseThrow(() -> refused);
            } catch (RuntimeException lookupFailed) {
                if (lookupFailed != refused) {
                    lookupFailed.addSuppressed(refused);
                }
                throw lookupFailed;
            }
        }
    }
}
