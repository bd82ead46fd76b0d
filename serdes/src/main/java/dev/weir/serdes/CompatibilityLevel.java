package dev.weir.serdes;

/**
 * Schema Registry compatibility levels, as spelled by the Confluent REST API.
 *
 * <p>BACKWARD (Weir's policy): consumers using the new schema can read data written with the previous one.
 * FORWARD: consumers using the previous schema can read data written with the new one. FULL: both.
 * The {@code _TRANSITIVE} variants check against every earlier version instead of only the latest.
 */
public enum CompatibilityLevel {
    NONE,
    BACKWARD,
    BACKWARD_TRANSITIVE,
    FORWARD,
    FORWARD_TRANSITIVE,
    FULL,
    FULL_TRANSITIVE;

    /** True when a new schema must be able to read data written with the existing versions. */
    public boolean checksBackward() {
        return this == BACKWARD || this == BACKWARD_TRANSITIVE || this == FULL || this == FULL_TRANSITIVE;
    }

    /** True when the existing versions must be able to read data written with a new schema. */
    public boolean checksForward() {
        return this == FORWARD || this == FORWARD_TRANSITIVE || this == FULL || this == FULL_TRANSITIVE;
    }

    /** True when a new schema is checked against every earlier version, not only the latest. */
    public boolean transitive() {
        return name().endsWith("_TRANSITIVE");
    }
}
