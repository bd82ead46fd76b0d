package dev.weir.serdes;

import dev.weir.avro.VideoGeometry;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

import com.sun.management.ThreadMXBean;

import dev.weir.avro.PixelFormat;
import dev.weir.avro.TextEvent;
import dev.weir.avro.TokenBatch;
import dev.weir.avro.VideoFrame;

class ConfluentAvroSerdeTest {

    private final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();

    @Test
    void everyWeirRecordRoundTripsInTheConfluentWireFormat() {
        for (SpecificRecord record : WeirRecords.all()) {
            // given a value serde for the record's class and a topic of its own
            String topic = "weir.test." + record.getSchema().getName();
            @SuppressWarnings("unchecked")
            Class<SpecificRecord> type = (Class<SpecificRecord>) record.getClass();
            Serde<SpecificRecord> serde = ConfluentAvroSerde.forValue(registry, type);

            // when it is serialized and read back
            byte[] bytes = serde.serializer().serialize(topic, record);
            SpecificRecord back = serde.deserializer().deserialize(topic, bytes);

            // then the frame is magic byte 0 + the big-endian id registered under <topic>-value, and the record survives
            RegisteredSchema registered = registry.lookup(topic + "-value", record.getSchema()).orElseThrow();
            assertEquals(0, bytes[0], "magic byte");
            assertEquals(registered.id(), ByteBuffer.wrap(bytes, 1, 4).getInt(), "schema id in the header");
            assertEquals(record, back, record.getSchema().getName());
        }
    }

    @Test
    void aRecordCostsOneAllocationOfItsOwnSizeWhateverCameBefore() {
        // given a serializer that has written a 640x480 RGB frame (921,600 bytes of pixels) and a small record
        ConfluentAvroSerializer<SpecificRecord> serializer = new ConfluentAvroSerializer<>(registry, false);
        VideoFrame frame = VideoFrame.newBuilder(WeirRecords.videoFrame()).setWidth(640).setHeight(480)
                .setFormat(PixelFormat.RGB24).setData(ByteBuffer.wrap(new byte[640 * 480 * 3])).build();
        TokenBatch batch = WeirRecords.tokenBatch();
        byte[] firstFrame = serializer.serialize("cam", frame);
        byte[] firstBatch = serializer.serialize("tokens", batch);

        // when frames and batches are written in turn
        long[] frameBytes = new long[3];
        long[] batchBytes = new long[3];
        for (int i = 0; i < 3; i++) {
            frameBytes[i] = allocatedBy(() -> assertArrayEquals(firstFrame, serializer.serialize("cam", frame)));
            batchBytes[i] = allocatedBy(() -> assertArrayEquals(firstBatch, serializer.serialize("tokens", batch)));
        }

        // then each frame allocated about its own size (not a doubling buffer and a trimming copy: 2x), and each
        // small record a few hundred bytes (not a buffer the size of the frame before it)
        for (int i = 0; i < 3; i++) {
            assertTrue(frameBytes[i] < firstFrame.length * 1.1, "allocated " + frameBytes[i] + " B for a record of " + firstFrame.length + " B");
            assertTrue(batchBytes[i] < firstBatch.length + 2_048, "allocated " + batchBytes[i] + " B for a record of " + firstBatch.length + " B");
        }
    }

    /** Bytes the calling thread allocated while {@code work} ran. */
    private static long allocatedBy(Runnable work) {
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        work.run();
        return threads.getCurrentThreadAllocatedBytes() - before;
    }

    @Test
    void theHeaderCarriesTheIdBigEndianFollowedByPlainAvroBinary() throws IOException {
        // given an id that needs all four bytes
        InMemorySchemaRegistryClient busy = new InMemorySchemaRegistryClient();
        for (int i = 0; i < 300; i++) {
            busy.register("filler-" + i, Schema.createRecord("R" + i, null, "filler", false, List.of()));
        }
        TextEvent event = (TextEvent) WeirRecords.all().get(2);

        // when serialized
        byte[] bytes = new ConfluentAvroSerializer<TextEvent>(busy, false).serialize("chat", event);

        // then bytes 1..4 are the id, most significant first, and the rest is exactly Avro's binary encoding
        int id = busy.lookup("chat-value", TextEvent.getClassSchema()).orElseThrow().id();
        assertEquals(301, id);
        assertArrayEquals(new byte[] {0, 0, 0, 1, 45}, java.util.Arrays.copyOf(bytes, 5));
        byte[] body = java.util.Arrays.copyOfRange(bytes, 5, bytes.length);
        assertArrayEquals(plainAvro(event), body);
    }

    @Test
    void nullIsATombstoneBothWays() {
        Serde<VideoFrame> serde = ConfluentAvroSerde.forValue(registry, VideoFrame.class);
        assertNull(serde.serializer().serialize("frames", null));
        assertNull(serde.deserializer().deserialize("frames", null));
        assertTrue(registry.subjects().isEmpty(), "nothing registered for a tombstone");
    }

    @Test
    void keySerdeUsesTheKeySubjectAndValueSerdeTheValueSubject() {
        // when the same record type is written as key and as value
        ConfluentAvroSerde.forKey(registry, TextEvent.class).serializer().serialize("chat", (TextEvent) WeirRecords.all().get(2));
        ConfluentAvroSerde.forValue(registry, TextEvent.class).serializer().serialize("chat", (TextEvent) WeirRecords.all().get(2));

        // then both TopicNameStrategy subjects exist, sharing one id
        assertEquals(List.of("chat-key", "chat-value"), registry.subjects());
        assertEquals(registry.lookup("chat-key", TextEvent.getClassSchema()).orElseThrow().id(),
                registry.lookup("chat-value", TextEvent.getClassSchema()).orElseThrow().id());
    }

    @Test
    void readsRecordsWrittenWithAnOlderSchemaFillingDefaults() throws IOException {
        // given a TokenBatch schema from before reusedPositions, prunedCount, keyframe, batchSeq and layout existed
        Schema current = TokenBatch.getClassSchema();
        Schema old = withoutFields(current, List.of("reusedPositions", "prunedCount", "keyframe", "batchSeq", "layout"));
        int oldId = registry.register("tokens-value", old);
        TokenBatch now = WeirRecords.tokenBatch();
        GenericRecord generic = asGeneric(now);
        GenericRecord written = new GenericData.Record(old);
        for (Schema.Field field : old.getFields()) {
            written.put(field.name(), generic.get(field.name()));
        }

        // when a record framed with the old id is read by today's TokenBatch
        TokenBatch read = new ConfluentAvroDeserializer<>(registry, TokenBatch.class).deserialize("tokens", frame(oldId, old, written));

        // then the shared fields are kept and the new ones take their schema defaults
        assertEquals(now.getTokens(), read.getTokens());
        assertEquals(now.getStats(), read.getStats());
        assertEquals(List.of(), read.getReusedPositions());
        assertEquals(0, read.getPrunedCount());
        assertFalse(read.getKeyframe());
        assertEquals(-1L, read.getBatchSeq());
        assertNull(read.getLayout());
    }

    @Test
    void withoutAutoRegisterTheSchemaMustBeRegisteredFirst() {
        // given a serializer that may not register
        ConfluentAvroSerializer<VideoFrame> serializer = new ConfluentAvroSerializer<>(registry, false);
        serializer.configure(Map.of(AvroSerdeConfig.AUTO_REGISTER_SCHEMAS, false), false);

        // when the subject is unknown, then it says what to do
        SchemaNotRegisteredException missing = assertThrows(SchemaNotRegisteredException.class,
                () -> serializer.serialize("frames", WeirRecords.videoFrame()));
        assertEquals("frames-value", missing.subject());
        assertTrue(missing.getMessage().contains("auto.register.schemas"), missing.getMessage());

        // when the bootstrap registered it, then serialization uses that id
        int id = new SchemaBootstrap(registry).run(List.of(SubjectSchema.topicValue("frames", VideoFrame.getClassSchema())))
                .getFirst().id();
        byte[] bytes = serializer.serialize("frames", WeirRecords.videoFrame());
        assertEquals(id, ByteBuffer.wrap(bytes, 1, 4).getInt());
    }

    @Test
    void useLatestVersionWritesWithTheLatestSchemaOfTheSubject() {
        // given a subject whose latest version has one more optional field than the record's class
        Schema evolved = withExtraOptionalField(TextEvent.getClassSchema(), "language");
        registry.register("chat-value", TextEvent.getClassSchema());
        int latestId = registry.register("chat-value", evolved);
        ConfluentAvroSerializer<TextEvent> serializer = new ConfluentAvroSerializer<>(registry, false);
        serializer.configure(Map.of(AvroSerdeConfig.USE_LATEST_VERSION, true, AvroSerdeConfig.AUTO_REGISTER_SCHEMAS, false), false);
        TextEvent event = (TextEvent) WeirRecords.all().get(2);

        // when serialized
        byte[] bytes = serializer.serialize("chat", event);

        // then the frame names the latest id and reads back as the same event
        assertEquals(latestId, ByteBuffer.wrap(bytes, 1, 4).getInt());
        assertEquals(event, new ConfluentAvroDeserializer<>(registry, TextEvent.class).deserialize("chat", bytes));
    }

    @Test
    void aDeserializerWithoutAClassReadsIntoTheClassTheWriterSchemaNames() {
        byte[] bytes = ConfluentAvroSerde.forValue(registry, VideoFrame.class).serializer().serialize("frames", WeirRecords.videoFrame());
        ConfluentAvroDeserializer<SpecificRecord> untyped = new ConfluentAvroDeserializer<>(registry, null);
        assertEquals(WeirRecords.videoFrame(), untyped.deserialize("frames", bytes));
    }

    static byte[] frame(int id, Schema schema, Object datum) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[] {0, (byte) (id >>> 24), (byte) (id >>> 16), (byte) (id >>> 8), (byte) id});
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<>(schema).write(datum, encoder);
        encoder.flush();
        return out.toByteArray();
    }

    static Schema withoutFields(Schema record, List<String> dropped) {
        List<Schema.Field> kept = new ArrayList<>();
        for (Schema.Field field : record.getFields()) {
            if (!dropped.contains(field.name())) {
                kept.add(new Schema.Field(field, field.schema()));
            }
        }
        return Schema.createRecord(record.getName(), record.getDoc(), record.getNamespace(), false, kept);
    }

    static Schema withExtraOptionalField(Schema record, String name) {
        List<Schema.Field> fields = new ArrayList<>();
        for (Schema.Field field : record.getFields()) {
            fields.add(new Schema.Field(field, field.schema()));
        }
        fields.add(new Schema.Field(name, Schema.createUnion(Schema.create(Schema.Type.NULL), Schema.create(Schema.Type.STRING)),
                "added later", Schema.Field.NULL_DEFAULT_VALUE));
        return Schema.createRecord(record.getName(), record.getDoc(), record.getNamespace(), false, fields);
    }

    /** The record as a generic record of its own schema, decoded by Avro from Avro's single-object encoding. */
    static GenericRecord asGeneric(SpecificRecord record) throws IOException {
        byte[] body = plainAvro(record);
        return new GenericDatumReader<GenericRecord>(record.getSchema())
                .read(null, DecoderFactory.get().binaryDecoder(body, null));
    }

    /**
     * Avro's own binary body of a record, independent of the serde: the generated class's single-object encoding
     * ({@code toByteBuffer()}) minus its 10-byte header (C3 01 + 8-byte schema fingerprint).
     */
    static byte[] plainAvro(SpecificRecord record) throws IOException {
        ByteBuffer singleObject;
        try {
            singleObject = (ByteBuffer) record.getClass().getMethod("toByteBuffer").invoke(record);
        } catch (ReflectiveOperationException e) {
            throw new IOException(e);
        }
        byte[] bytes = new byte[singleObject.remaining()];
        singleObject.get(bytes);
        return java.util.Arrays.copyOfRange(bytes, 10, bytes.length);
    }
}
