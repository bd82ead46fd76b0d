package dev.weir.serdes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.Test;

import dev.weir.avro.TextEvent;
import dev.weir.avro.VideoFrame;

class SchemaBootstrapTest {

    @Test
    void setsBackwardOnEachSubjectAndRegistersItsSchema() {
        // given a registry whose global level is NONE (Apicurio's default)
        InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient(CompatibilityLevel.NONE);

        // when the bootstrap runs for two topics
        List<RegisteredSchema> registered = new SchemaBootstrap(registry).run(List.of(
                SubjectSchema.topicValue("frames", VideoFrame.getClassSchema()),
                SubjectSchema.topicValue("chat", TextEvent.getClassSchema())));

        // then each subject is BACKWARD, holds version 1 of its schema, and the global level is untouched
        assertEquals(List.of("frames-value", "chat-value"), registered.stream().map(RegisteredSchema::subject).toList());
        for (RegisteredSchema version : registered) {
            assertEquals(CompatibilityLevel.BACKWARD, registry.subjectCompatibility(version.subject()).orElseThrow());
            assertEquals(1, version.version());
            assertEquals(version.schema(), registry.getById(version.id()));
        }
        assertEquals(CompatibilityLevel.NONE, registry.globalCompatibility());
    }

    @Test
    void runningAgainChangesNothing() {
        InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient(CompatibilityLevel.NONE);
        List<SubjectSchema> subjects = List.of(SubjectSchema.topicValue("chat", TextEvent.getClassSchema()));
        List<RegisteredSchema> first = new SchemaBootstrap(registry).run(subjects);
        List<RegisteredSchema> second = new SchemaBootstrap(registry).run(subjects);
        assertEquals(first, second);
        assertEquals(1, registry.latest("chat-value").orElseThrow().version());
    }

    @Test
    void aSchemaThatBreaksBackwardFailsStartUp() {
        // given a subject that was bootstrapped (BACKWARD) under a global level of NONE
        InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient(CompatibilityLevel.NONE);
        new SchemaBootstrap(registry).run(List.of(SubjectSchema.topicValue("chat", TextEvent.getClassSchema())));
        Schema breaking = SchemaBuilder.record("TextEvent").namespace("dev.weir.avro").fields()
                .requiredString("streamId").requiredString("language").endRecord();

        // when a later start-up brings a schema with a new required field, then it is refused
        IncompatibleSchemaException e = assertThrows(IncompatibleSchemaException.class,
                () -> new SchemaBootstrap(registry).run(List.of(SubjectSchema.topicValue("chat", breaking))));
        assertEquals("chat-value", e.subject());
    }

    @Test
    void aSubjectAlreadyAtTheLevelKeepsIt() {
        InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
        registry.setSubjectCompatibility("chat-value", CompatibilityLevel.FULL);
        new SchemaBootstrap(registry, CompatibilityLevel.FULL).run(List.of(SubjectSchema.topicValue("chat", TextEvent.getClassSchema())));
        assertEquals(CompatibilityLevel.FULL, registry.subjectCompatibility("chat-value").orElseThrow());
    }
}
