package dev.weir.serdes.internals;

import java.util.ArrayList;
import java.util.List;

import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;
import org.apache.avro.SchemaCompatibility.SchemaPairCompatibility;

import dev.weir.serdes.CompatibilityLevel;

/** Schema Registry compatibility levels evaluated with Avro's own {@link SchemaCompatibility}, as the registries do. */
public final class AvroCompatibility {
    private AvroCompatibility() {
    }

    /**
     * Why {@code candidate} may not follow {@code existing} (oldest first) under {@code level}; empty when it may.
     * Non-transitive levels compare with the latest existing version only.
     */
    public static List<String> violations(CompatibilityLevel level, Schema candidate, List<Schema> existing) {
        if (level == CompatibilityLevel.NONE || existing.isEmpty()) {
            return List.of();
        }
        List<Schema> against = level.transitive() ? existing : List.of(existing.getLast());
        List<String> violations = new ArrayList<>();
        for (Schema previous : against) {
            if (level.checksBackward()) {
                violations.addAll(describe("new schema cannot read data written with an existing version",
                        SchemaCompatibility.checkReaderWriterCompatibility(candidate, previous)));
            }
            if (level.checksForward()) {
                violations.addAll(describe("an existing version cannot read data written with the new schema",
                        SchemaCompatibility.checkReaderWriterCompatibility(previous, candidate)));
            }
        }
        return violations;
    }

    /** Each incompatibility of a reader/writer pair as "context: TYPE at /path: message". */
    public static List<String> describe(String context, SchemaPairCompatibility pair) {
        List<String> lines = new ArrayList<>();
        for (Incompatibility incompatibility : pair.getResult().getIncompatibilities()) {
            lines.add(context + ": " + incompatibility.getType() + " at " + incompatibility.getLocation() + ": "
                    + incompatibility.getMessage());
        }
        return lines;
    }
}
