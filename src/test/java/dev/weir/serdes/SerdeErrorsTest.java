package dev.weir.serdes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

import dev.weir.avro.TextEvent;
import dev.weir.avro.TokenBatch;
import dev.weir.avro.VideoFrame;
import dev.weir.serdes.NotConfluentFramedException.Reason;

/** Every way a record can be unreadable or unwritable ends in a typed Kafka SerializationException that says why. */
class SerdeErrorsTest {

    private final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
    private final ConfluentAvroSerde<VideoFrame> frames = ConfluentAvroSerde.forValue(registry, VideoFrame.class);

    @Test
    void fewerThanFiveBytesAreTooShort() {
        for (byte[] bytes : List.of(new byte[0], new byte[] {0, 0, 0, 1})) {
            NotConfluentFramedException e = assertThrows(NotConfluentFramedException.class,
                    () -> frames.deserializer().deserialize("frames", bytes));
            assertEquals(Reason.TOO_SHORT, e.reason());
            assertTrue(e.getMessage().contains(bytes.length + " bytes"), e.getMessage());
        }
    }

    @Test
    void jsonOrPlainAvroHasTheWrongMagicByte() {
        // given a JSON record, as a producer without the Confluent serializer would write
        byte[] json = "{\"streamId\":\"cam-1\"}".getBytes(StandardCharsets.UTF_8);

        // when read, then the first byte is named
        NotConfluentFramedException e = assertThrows(NotConfluentFramedException.class,
                () -> frames.deserializer().deserialize("frames", json));
        assertEquals(Reason.WRONG_MAGIC, e.reason());
        assertTrue(e.getMessage().contains("0x7b"), e.getMessage());
        assertInstanceOf(SerializationException.class, e);
    }

    @Test
    void anIdTheRegistryDoesNotKnowIsAnUnknownSchemaId() {
        byte[] bytes = {0, 0, 0, 0x30, 0x39, 2, 'a'};
        UnknownSchemaIdException e = assertThrows(UnknownSchemaIdException.class,
                () -> frames.deserializer().deserialize("frames", bytes));
        assertEquals(12345, e.schemaId());
        assertInstanceOf(SerializationException.class, e);
    }

    @Test
    void aTruncatedBodyIsCorrupt() {
        byte[] good = frames.serializer().serialize("frames", WeirRecords.videoFrame());
        byte[] truncated = Arrays.copyOf(good, good.length - 100);
        NotConfluentFramedException e = assertThrows(NotConfluentFramedException.class,
                () -> frames.deserializer().deserialize("frames", truncated));
        assertEquals(Reason.CORRUPT_BODY, e.reason());
    }

    @Test
    void bytesLeftOverAfterTheBodyAreCorrupt() {
        byte[] good = frames.serializer().serialize("frames", WeirRecords.videoFrame());
        byte[] padded = Arrays.copyOf(good, good.length + 3);
        NotConfluentFramedException e = assertThrows(NotConfluentFramedException.class,
                () -> frames.deserializer().deserialize("frames", padded));
        assertEquals(Reason.CORRUPT_BODY, e.reason());
        assertTrue(e.getMessage().contains("left over"), e.getMessage());
    }

    @Test
    void anAbsurdArrayCountIsRejectedWithoutAllocatingIt() {
        // given a TokenBatch header and body whose 'tokens' array claims 500 million ints (2 GB) in a few bytes
        int id = registry.register("tokens-value", TokenBatch.getClassSchema());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {0, (byte) (id >>> 24), (byte) (id >>> 16), (byte) (id >>> 8), (byte) id});
        out.writeBytes(new byte[] {0, 0, 0, 0, 0, 0, 0, 0}); // streamId "", seq 0, VIDEO, timestamp 0, tokenizer "","","", tokensPerPosition 0
        out.writeBytes(zigZagVarLong(500_000_000L));        // tokens: block of 500M items
        out.writeBytes(new byte[] {2, 4});                  // ...but only two of them follow
        byte[] bytes = out.toByteArray();

        // when read (the test JVM has -Xmx2g: allocating the array first would fail with OutOfMemoryError)
        NotConfluentFramedException e = assertThrows(NotConfluentFramedException.class,
                () -> new ConfluentAvroDeserializer<>(registry, TokenBatch.class).deserialize("tokens", bytes));

        // then it is a corrupt body, not an OutOfMemoryError
        assertEquals(Reason.CORRUPT_BODY, e.reason());
    }

    @Test
    void anAbsurdStringLengthIsRejectedWithoutAllocatingIt() {
        int id = registry.register("chat-value", TextEvent.getClassSchema());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {0, (byte) (id >>> 24), (byte) (id >>> 16), (byte) (id >>> 8), (byte) id});
        out.writeBytes(zigZagVarLong(Integer.MAX_VALUE - 16)); // streamId claims ~2 GB
        out.writeBytes("cam".getBytes(StandardCharsets.UTF_8));
        NotConfluentFramedException e = assertThrows(NotConfluentFramedException.class,
                () -> new ConfluentAvroDeserializer<>(registry, TextEvent.class).deserialize("chat", out.toByteArray()));
        assertEquals(Reason.CORRUPT_BODY, e.reason());
    }

    @Test
    void aWriterSchemaTheClassCannotReadIsASerializationExceptionNamingTheClass() throws Exception {
        // given a record written with an unrelated TextEvent schema whose 'text' is an int
        Schema alien = SchemaBuilder.record("TextEvent").namespace("dev.weir.avro").fields().requiredInt("text").endRecord();
        int id = registry.register("alien-value", alien);
        GenericData.Record record = new GenericData.Record(alien);
        record.put("text", 42);
        byte[] bytes = ConfluentAvroSerdeTest.frame(id, alien, record);

        // when read as TextEvent, then the message names the class and the broken field
        SerializationException e = assertThrows(SerializationException.class,
                () -> new ConfluentAvroDeserializer<>(registry, TextEvent.class).deserialize("alien", bytes));
        assertTrue(e.getMessage().contains("dev.weir.avro.TextEvent cannot read"), e.getMessage());
        assertTrue(e.getMessage().contains("streamId"), e.getMessage());
    }

    @Test
    void anEnumSymbolTheReaderLacksIsReadAsItsDefaultOrRefusedOnRequest() throws Exception {
        // given a producer on a newer VideoFrame whose PixelFormat has a symbol this reader lacks, registered BACKWARD
        Schema pixelFormat = Schema.createEnum("PixelFormat", null, "dev.weir.avro",
                List.of("RGB24", "GRAY8", "I420", "JPEG", "PNG", "BGR24"), "RGB24");
        Schema newer = SchemaBuilder.record("VideoFrame").namespace("dev.weir.avro").fields()
                .requiredString("streamId").requiredLong("seq").requiredLong("timestamp").requiredInt("width")
                .requiredInt("height").name("format").type(pixelFormat).noDefault().requiredBytes("data").endRecord();
        registry.register("frames-value", VideoFrame.getClassSchema());
        int id = registry.register("frames-value", newer);
        GenericData.Record frame = new GenericData.Record(newer);
        frame.put("streamId", "cam");
        frame.put("seq", 1L);
        frame.put("timestamp", 0L);
        frame.put("width", 1);
        frame.put("height", 1);
        frame.put("format", new GenericData.EnumSymbol(pixelFormat, "BGR24"));
        frame.put("data", java.nio.ByteBuffer.wrap(new byte[3]));
        byte[] bytes = ConfluentAvroSerdeTest.frame(id, newer, frame);

        // when read as Avro's schema resolution reads it, then the symbol is the enum's default: another format
        assertEquals(dev.weir.avro.PixelFormat.RGB24, new ConfluentAvroDeserializer<>(registry, VideoFrame.class)
                .deserialize("frames", bytes).getFormat());
        // when read by a deserializer that refuses unknown symbols, then it names the enum, the symbol and what it knows
        UnknownSymbolException e = assertThrows(UnknownSymbolException.class,
                () -> ConfluentAvroDeserializer.refusingUnknownSymbols(registry, VideoFrame.class).deserialize("frames", bytes));
        assertEquals("dev.weir.avro.PixelFormat", e.enumName());
        assertEquals("BGR24", e.symbol());
        assertTrue(e.getMessage().contains("RGB24, GRAY8, I420, JPEG, PNG"), e.getMessage());
        // and a record of the newer schema with a symbol this reader knows reads as usual
        frame.put("format", new GenericData.EnumSymbol(pixelFormat, "GRAY8"));
        frame.put("data", java.nio.ByteBuffer.wrap(new byte[1]));
        assertEquals(dev.weir.avro.PixelFormat.GRAY8, ConfluentAvroDeserializer.refusingUnknownSymbols(registry, VideoFrame.class)
                .deserialize("frames", ConfluentAvroSerdeTest.frame(id, newer, frame)).getFormat());
    }

    @Test
    void anEnumIndexOutsideTheWritersSymbolsIsACorruptBody() {
        // given a VideoFrame body whose format index is 9 (PixelFormat has 5 symbols)
        int id = registry.register("frames-value", VideoFrame.getClassSchema());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {0, (byte) (id >>> 24), (byte) (id >>> 16), (byte) (id >>> 8), (byte) id});
        out.writeBytes(new byte[] {2, 'c', 2, 0, 2, 2}); // streamId "c", seq 1, timestamp 0, width 1, height 1
        out.writeBytes(zigZagVarLong(9));                // format
        out.writeBytes(new byte[] {6, 0, 0, 0});         // data: 3 bytes

        // when read, then it is a corrupt body that says which enum and index
        NotConfluentFramedException e = assertThrows(NotConfluentFramedException.class,
                () -> new ConfluentAvroDeserializer<>(registry, VideoFrame.class).deserialize("frames", out.toByteArray()));
        assertEquals(Reason.CORRUPT_BODY, e.reason());
        assertTrue(e.getMessage().contains("dev.weir.avro.PixelFormat has 5 symbols, none at index 9"), e.getMessage());
    }

    @Test
    void registeringABackwardIncompatibleSchemaIsAnIncompatibleSchemaException() {
        // given a subject holding TextEvent under BACKWARD
        registry.register("chat-value", TextEvent.getClassSchema());
        Schema breaking = SchemaBuilder.record("TextEvent").namespace("dev.weir.avro").fields()
                .requiredString("streamId").requiredLong("seq").requiredLong("timestamp").requiredString("text")
                .requiredString("language").endRecord();

        // when a schema adds a required field without default
        IncompatibleSchemaException e = assertThrows(IncompatibleSchemaException.class,
                () -> registry.register("chat-value", breaking));

        // then the subject and the field are named, and nothing was registered
        assertEquals("chat-value", e.subject());
        assertTrue(e.reasons().stream().anyMatch(reason -> reason.contains("language")), e.reasons().toString());
        assertInstanceOf(SerializationException.class, e);
        assertFalse(registry.testCompatibility("chat-value", breaking).compatible());
        assertEquals(1, registry.latest("chat-value").orElseThrow().version());
    }

    private static byte[] zigZagVarLong(long value) {
        long n = (value << 1) ^ (value >> 63);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while ((n & ~0x7FL) != 0) {
            out.write((int) ((n & 0x7F) | 0x80));
            n >>>= 7;
        }
        out.write((int) n);
        return out.toByteArray();
    }
}
