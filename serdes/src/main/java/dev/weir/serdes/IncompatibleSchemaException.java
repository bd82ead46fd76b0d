package dev.weir.serdes;

import java.util.List;

/**
 * The registry refused to register a schema because it breaks the subject's compatibility level (Weir uses
 * BACKWARD: the new schema must read data written with the previous one). Give every new field a default,
 * do not change field types, or register under a new subject.
 */
public final class IncompatibleSchemaException extends SchemaRegistryException {
    private static final long serialVersionUID = 1L;

    private final String subject;
    private final List<String> reasons;

    public IncompatibleSchemaException(String subject, List<String> reasons) {
        super("schema is incompatible with the existing versions of subject '" + subject + "'"
                + (reasons.isEmpty() ? "" : ": " + String.join("; ", reasons))
                + ". Under BACKWARD compatibility give every added field a default and keep field types; "
                + "or register the schema under a new subject");
        this.subject = subject;
        this.reasons = List.copyOf(reasons);
    }

    public String subject() {
        return subject;
    }

    /** The incompatibilities, as the registry (or Avro's SchemaCompatibility) reported them. */
    public List<String> reasons() {
        return reasons;
    }
}
