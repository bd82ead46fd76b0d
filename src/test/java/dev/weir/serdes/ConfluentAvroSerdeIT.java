package dev.weir.serdes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer.OrderAnnotation;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import dev.weir.avro.TextEvent;
import dev.weir.avro.VideoFrame;
import dev.weir.stack.LocalSchemaRegistry;

/**
 * The serdes and the REST client against a real registry: Apicurio Registry 3.3.3 through its Confluent API
 * ({@code /apis/ccompat/v7}), started fresh for this class. The last test stops it.
 */
@TestMethodOrder(OrderAnnotation.class)
class ConfluentAvroSerdeIT {

    private static LocalSchemaRegistry apicurio;
    private static RestSchemaRegistryClient client;

    @BeforeAll
    static void startRegistry() throws IOException {
        apicurio = LocalSchemaRegistry.start(Path.of("target", "serdes-it"));
        client = new RestSchemaRegistryClient(config());
    }

    @AfterAll
    static void stopRegistry() {
        client.close();
        apicurio.close();
    }

    private static Map<String, Object> config() {
        Map<String, Object> config = new HashMap<>();
        config.put(AvroSerdeConfig.SCHEMA_REGISTRY_URL, apicurio.url());
        config.put(AvroSerdeConfig.MAX_RETRIES, 2);
        config.put(AvroSerdeConfig.RETRIES_WAIT_MS, 10L);
        config.put(AvroSerdeConfig.RETRIES_MAX_WAIT_MS, 40L);
        return config;
    }

    private static String topicOf(SpecificRecord record) {
        return "weir.it." + record.getSchema().getName();
    }

    private static List<SubjectSchema> everyWeirSubject() {
        return WeirRecords.all().stream().map(r -> SubjectSchema.topicValue(topicOf(r), r.getSchema())).distinct().toList();
    }

    @Test
    @Order(1)
    void bootstrapSetsBackwardAndRegistersEveryWeirSchemaIdempotently() {
        // given a fresh registry, whose global default is not BACKWARD
        assertEquals(CompatibilityLevel.NONE, client.globalCompatibility());

        // when the bootstrap runs twice
        List<RegisteredSchema> first = new SchemaBootstrap(client).run(everyWeirSubject());
        List<RegisteredSchema> second = new SchemaBootstrap(client).run(everyWeirSubject());

        // then every subject is BACKWARD, holds one version, and the second run changed nothing
        assertEquals(7, first.size());
        assertEquals(first, second);
        for (RegisteredSchema registered : first) {
            assertEquals(CompatibilityLevel.BACKWARD, client.subjectCompatibility(registered.subject()).orElseThrow(), registered.subject());
            assertEquals(1, registered.version(), registered.subject());
        }
        assertTrue(client.subjects().containsAll(first.stream().map(RegisteredSchema::subject).toList()));

        // and each id resolves, through GET /schemas/ids/{id} on a client with empty caches, to the same schema
        try (RestSchemaRegistryClient fresh = new RestSchemaRegistryClient(config())) {
            for (RegisteredSchema registered : first) {
                assertEquals(registered.schema(), fresh.getById(registered.id()), registered.subject());
                assertEquals(registered.id(), fresh.latest(registered.subject()).orElseThrow().id());
            }
        }
    }

    @Test
    @Order(2)
    void everyWeirRecordRoundTripsThroughTheRegistry() {
        // given serializers that may not register (the bootstrap did) and a reader with its own, empty caches
        try (RestSchemaRegistryClient readerClient = new RestSchemaRegistryClient(config())) {
            for (SpecificRecord record : WeirRecords.all()) {
                @SuppressWarnings("unchecked")
                Class<SpecificRecord> type = (Class<SpecificRecord>) record.getClass();
                ConfluentAvroSerializer<SpecificRecord> serializer = new ConfluentAvroSerializer<>(client, false);
                serializer.configure(Map.of(AvroSerdeConfig.AUTO_REGISTER_SCHEMAS, false), false);

                // when written and read back
                byte[] bytes = serializer.serialize(topicOf(record), record);
                SpecificRecord back = new ConfluentAvroDeserializer<>(readerClient, type).deserialize(topicOf(record), bytes);

                // then the header names the id the registry has for the subject, and the record survives
                int id = client.lookup(topicOf(record) + "-value", record.getSchema()).orElseThrow().id();
                assertEquals(0, bytes[0]);
                assertEquals(id, ByteBuffer.wrap(bytes, 1, 4).getInt(), type.getSimpleName());
                assertEquals(record, back, type.getSimpleName());
            }
        }
    }

    @Test
    @Order(3)
    void instancesStartingTogetherEachBootstrapTheSameSubjectsWithoutConflict() throws Exception {
        // given eight application instances that start at the same moment against subjects no one has made yet,
        // each with its own client (and caches), as separate processes sharing an application.id do
        List<SubjectSchema> subjects = WeirRecords.all().stream()
                .map(r -> SubjectSchema.topicValue("weir.it.together." + r.getSchema().getName(), r.getSchema()))
                .distinct().toList();
        int instances = 8;
        CyclicBarrier start = new CyclicBarrier(instances);
        List<Callable<List<RegisteredSchema>>> bootstraps = new ArrayList<>();
        for (int i = 0; i < instances; i++) {
            bootstraps.add(() -> {
                try (RestSchemaRegistryClient own = new RestSchemaRegistryClient(config())) {
                    start.await();
                    return new SchemaBootstrap(own).run(subjects);
                }
            });
        }

        // when they all bootstrap at once
        ExecutorService pool = Executors.newFixedThreadPool(instances);
        List<List<RegisteredSchema>> results = new ArrayList<>();
        try {
            for (Future<List<RegisteredSchema>> result : pool.invokeAll(bootstraps)) {
                results.add(result.get());
            }
        } finally {
            pool.shutdownNow();
        }

        // then every one succeeded and saw the same ids, each subject holds one version and is BACKWARD
        for (List<RegisteredSchema> result : results) {
            assertEquals(results.get(0), result);
        }
        for (RegisteredSchema registered : results.get(0)) {
            assertEquals(1, registered.version(), registered.subject());
            assertEquals(CompatibilityLevel.BACKWARD, client.subjectCompatibility(registered.subject()).orElseThrow());
        }
    }

    @Test
    @Order(4)
    void compatibleEvolutionIsAcceptedAndIncompatibleRejectedUnderBackward() throws IOException {
        // given a subject bootstrapped with TextEvent under BACKWARD
        String subject = "weir.it.evolve-value";
        new SchemaBootstrap(client).run(List.of(new SubjectSchema(subject, TextEvent.getClassSchema())));

        // when a version adding an optional field is registered, then the registry accepts it as version 2
        Schema v2 = ConfluentAvroSerdeTest.withExtraOptionalField(TextEvent.getClassSchema(), "language");
        assertTrue(client.testCompatibility(subject, v2).compatible());
        int v2Id = client.register(subject, v2);
        assertEquals(2, client.latest(subject).orElseThrow().version());

        // and a record written with version 2 is read by today's TextEvent (the extra field is skipped)
        TextEvent event = (TextEvent) WeirRecords.all().get(2);
        GenericRecord written = new GenericData.Record(v2);
        GenericRecord generic = ConfluentAvroSerdeTest.asGeneric(event);
        for (Schema.Field field : TextEvent.getClassSchema().getFields()) {
            written.put(field.name(), generic.get(field.name()));
        }
        written.put("language", "fr");
        byte[] bytes = ConfluentAvroSerdeTest.frame(v2Id, v2, written);
        try (RestSchemaRegistryClient readerClient = new RestSchemaRegistryClient(config())) {
            assertEquals(event, new ConfluentAvroDeserializer<>(readerClient, TextEvent.class).deserialize("weir.it.evolve", bytes));
        }

        // when a version adding a required field is registered, then it is refused and not stored
        List<Schema.Field> fields = new ArrayList<>();
        for (Schema.Field field : v2.getFields()) {
            fields.add(new Schema.Field(field, field.schema()));
        }
        fields.add(new Schema.Field("region", Schema.create(Schema.Type.STRING), "required, no default"));
        Schema v3 = Schema.createRecord(v2.getName(), v2.getDoc(), v2.getNamespace(), false, fields);
        assertFalse(client.testCompatibility(subject, v3).compatible());
        IncompatibleSchemaException refused = assertThrows(IncompatibleSchemaException.class, () -> client.register(subject, v3));
        assertEquals(subject, refused.subject());
        assertTrue(refused.getMessage().contains("region"), refused.getMessage());
        assertEquals(2, client.latest(subject).orElseThrow().version());
    }

    @Test
    @Order(5)
    void anIdTheRegistryNeverIssuedIsAnUnknownSchemaId() {
        byte[] bytes = {0, 0, 0x0f, 0x42, 0x3f, 0};
        try (RestSchemaRegistryClient readerClient = new RestSchemaRegistryClient(config())) {
            UnknownSchemaIdException e = assertThrows(UnknownSchemaIdException.class,
                    () -> new ConfluentAvroDeserializer<>(readerClient, VideoFrame.class).deserialize("weir.it.frames", bytes));
            assertEquals(999_999, e.schemaId());
            assertTrue(e.getMessage().contains(apicurio.url()), e.getMessage());
        }
    }

    @Test
    @Order(6)
    void theSameSchemaUnderTwoSubjectsHasIdsThatEachResolveToIt() {
        // given VideoFrame registered under a second subject (it already is under weir.it.VideoFrame-value)
        int first = client.lookup("weir.it.VideoFrame-value", VideoFrame.getClassSchema()).orElseThrow().id();
        int second = client.register("weir.it.frames-copy-value", VideoFrame.getClassSchema());

        // then whether or not the registry reuses the id (Confluent and Apicurio's default content-id mode do,
        // Apicurio's legacy-id-mode does not), each id resolves to the schema on a client with empty caches
        try (RestSchemaRegistryClient fresh = new RestSchemaRegistryClient(config())) {
            assertEquals(VideoFrame.getClassSchema(), fresh.getById(first));
            assertEquals(VideoFrame.getClassSchema(), fresh.getById(second));
        }
        org.slf4j.LoggerFactory.getLogger(ConfluentAvroSerdeIT.class).info(
                "Apicurio ccompat ids for one schema under two subjects: {} and {} ({})", first, second,
                first == second ? "content ids, as Confluent" : "global ids: legacy-id-mode");
    }

    @Test
    @Order(7)
    void aStoppedRegistryIsUnavailableAfterBoundedRetriesWhileCachedSchemasStillServe() {
        // given a serializer whose schema is cached, then the registry stops
        ConfluentAvroSerde<VideoFrame> frames = ConfluentAvroSerde.forValue(client, VideoFrame.class);
        byte[] before = frames.serializer().serialize("weir.it.VideoFrame", WeirRecords.videoFrame());
        apicurio.close();
        assertFalse(apicurio.isAlive());

        // when a record of a cached schema is written, then no registry is needed
        byte[] after = frames.serializer().serialize("weir.it.VideoFrame", WeirRecords.videoFrame());
        assertEquals(ByteBuffer.wrap(before, 1, 4).getInt(), ByteBuffer.wrap(after, 1, 4).getInt());

        // when the registry is needed, then it fails after max.retries = 2 retries with the typed exception
        RegistryUnavailableException e = assertThrows(RegistryUnavailableException.class,
                () -> client.register("weir.it.other-value", TextEvent.getClassSchema()));
        assertEquals(3, e.attempts());
        assertInstanceOf(ConnectException.class, e.getCause());
        assertInstanceOf(SerializationException.class, e);

        // and a reader with empty caches gets the same from the deserializer
        try (RestSchemaRegistryClient readerClient = new RestSchemaRegistryClient(config())) {
            assertThrows(RegistryUnavailableException.class,
                    () -> new ConfluentAvroDeserializer<>(readerClient, VideoFrame.class).deserialize("weir.it.VideoFrame", after));
        }
        assertNotEquals(0, after.length);
    }
}
