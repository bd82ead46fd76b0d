package dev.weir.serdes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.Test;

/** The in-memory registry keeps Confluent Schema Registry's rules. */
class InMemorySchemaRegistryClientTest {

    private static final Schema V1 = SchemaBuilder.record("Event").namespace("t").fields()
            .requiredString("id").endRecord();
    /** V1 plus a field with a default: BACKWARD and FORWARD compatible. */
    private static final Schema V2_WITH_DEFAULT = SchemaBuilder.record("Event").namespace("t").fields()
            .requiredString("id").name("count").type().intType().intDefault(0).endRecord();
    /** V1 plus a required field: old data has no value for it, so not BACKWARD compatible (but FORWARD). */
    private static final Schema V2_REQUIRED = SchemaBuilder.record("Event").namespace("t").fields()
            .requiredString("id").requiredInt("count").endRecord();
    /** V1 without its only field: BACKWARD compatible (the reader ignores 'id'), not FORWARD. */
    private static final Schema V2_DROPPED = SchemaBuilder.record("Event").namespace("t").fields().endRecord();

    private final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();

    @Test
    void idsAreRegistryWideAndSharedByIdenticalSchemasVersionsArePerSubject() {
        int a = registry.register("a-value", V1);
        int again = registry.register("a-value", V1);
        int b = registry.register("b-value", V1);
        int a2 = registry.register("a-value", V2_WITH_DEFAULT);

        assertEquals(a, again, "registering twice is idempotent");
        assertEquals(a, b, "identical schema, same id in another subject");
        assertNotEquals(a, a2);
        assertEquals(2, registry.latest("a-value").orElseThrow().version());
        assertEquals(1, registry.lookup("b-value", V1).orElseThrow().version());
        assertEquals(V2_WITH_DEFAULT, registry.getById(a2));
        assertEquals(List.of("a-value", "b-value"), registry.subjects());
    }

    @Test
    void backwardIsTheDefaultAndRejectsANewRequiredField() {
        registry.register("e-value", V1);
        assertEquals(CompatibilityLevel.BACKWARD, registry.globalCompatibility());
        assertThrows(IncompatibleSchemaException.class, () -> registry.register("e-value", V2_REQUIRED));
        assertTrue(registry.testCompatibility("e-value", V2_DROPPED).compatible());
    }

    @Test
    void forwardRejectsWhatOldReadersCannotRead() {
        registry.setSubjectCompatibility("e-value", CompatibilityLevel.FORWARD);
        registry.register("e-value", V1);
        assertTrue(registry.testCompatibility("e-value", V2_REQUIRED).compatible());
        CompatibilityCheck dropped = registry.testCompatibility("e-value", V2_DROPPED);
        assertFalse(dropped.compatible());
        assertTrue(dropped.messages().getFirst().contains("id"), dropped.messages().toString());
    }

    @Test
    void noneAcceptsAnythingAndSubjectLevelsOverrideTheGlobalOne() {
        registry.setGlobalCompatibility(CompatibilityLevel.NONE);
        registry.register("e-value", V1);
        registry.register("e-value", V2_REQUIRED);
        assertEquals(2, registry.latest("e-value").orElseThrow().version());

        registry.setSubjectCompatibility("f-value", CompatibilityLevel.FULL);
        registry.register("f-value", V1);
        assertThrows(IncompatibleSchemaException.class, () -> registry.register("f-value", V2_REQUIRED));
        assertThrows(IncompatibleSchemaException.class, () -> registry.register("f-value", V2_DROPPED));
        registry.register("f-value", V2_WITH_DEFAULT);
        assertEquals(2, registry.latest("f-value").orElseThrow().version());
        assertTrue(registry.subjectCompatibility("e-value").isEmpty());
    }

    @Test
    void transitiveLevelsCheckEveryEarlierVersion() {
        // given V1 then V2_DROPPED (backward compatible with V1) under BACKWARD_TRANSITIVE
        registry.setSubjectCompatibility("e-value", CompatibilityLevel.BACKWARD_TRANSITIVE);
        registry.register("e-value", V1);
        registry.register("e-value", V2_DROPPED);

        // when a third version brings 'id' back as an int with a default: it reads V2 data (default) but not V1 data
        Schema v3 = SchemaBuilder.record("Event").namespace("t").fields().name("id").type().intType().intDefault(0).endRecord();

        // then plain BACKWARD (against V2 only) accepts it, the transitive check against V1 rejects it
        InMemorySchemaRegistryClient plain = new InMemorySchemaRegistryClient();
        plain.register("e-value", V1);
        plain.register("e-value", V2_DROPPED);
        assertTrue(plain.testCompatibility("e-value", v3).compatible());
        assertFalse(registry.testCompatibility("e-value", v3).compatible());
    }

    @Test
    void unknownIdsAndSubjects() {
        assertEquals(99, assertThrows(UnknownSchemaIdException.class, () -> registry.getById(99)).schemaId());
        assertTrue(registry.latest("nope").isEmpty());
        assertTrue(registry.lookup("nope", V1).isEmpty());
        assertTrue(registry.testCompatibility("nope", V2_REQUIRED).compatible(), "a new subject accepts anything");
    }
}
