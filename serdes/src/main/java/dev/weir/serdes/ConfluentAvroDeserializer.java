package dev.weir.serdes;

import java.io.IOException;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

import dev.weir.serdes.NotConfluentFramedException.Reason;
import dev.weir.serdes.internals.AvroCompatibility;
import dev.weir.serdes.internals.AvroBodyCheck;
import dev.weir.serdes.internals.WireFormat;

/**
 * Reads Confluent wire-format Avro into specific records. The writer schema is fetched by the id in the header
 * (once per id) and resolved to the reader schema of the specific class, so records written with an older or
 * newer compatible schema read fine (Avro schema resolution).
 *
 * <p>The bytes are validated before anything is built from them: the header is checked, then the body is
 * walked once with the writer schema without materialising it, so a corrupt length or count cannot make the
 * decoder allocate absurdly, and trailing garbage is detected. Failures are {@link NotConfluentFramedException}
 * (saying which part is wrong), {@link UnknownSchemaIdException}, {@link InvalidUtf8Exception} (a string that
 * is not UTF-8, which Avro's own reader would silently repair), or a {@link SchemaRegistryException}.
 *
 * <p>Without a class ({@link #ConfluentAvroDeserializer()}), the reader class is the generated class named by
 * the writer schema. Avro 1.12's {@code org.apache.avro.SERIALIZABLE_PACKAGES} only gates classes named by
 * {@code java-class} properties of the reader schema; Weir's generated schemas have none, so the property need
 * not be set. A class Avro refuses is reported as a {@link SerializationException} naming the property.
 */
public final class ConfluentAvroDeserializer<T extends SpecificRecord> implements Deserializer<T> {

    private record ReaderKey(int schemaId, Class<?> type) {
    }

    private final Class<T> type;
    private volatile SchemaRegistryClient client;
    private volatile boolean ownsClient;
    private final Map<ReaderKey, SpecificDatumReader<T>> readers = new ConcurrentHashMap<>();

    /** For Kafka's reflective instantiation: reads into the class the writer schema names; {@link #configure} must follow. */
    public ConfluentAvroDeserializer() {
        this.type = null;
    }

    /**
     * Reads into {@code type} (or, when null, into the generated class the writer schema names) through
     * {@code client} (not closed by {@link #close()}); ready to use.
     */
    public ConfluentAvroDeserializer(SchemaRegistryClient client, Class<T> type) {
        this.client = Objects.requireNonNull(client, "client");
        this.type = type;
    }

    /** Reads into {@code type}; {@link #configure} must follow, with {@code schema.registry.url}. */
    public ConfluentAvroDeserializer(Class<T> type) {
        this.type = Objects.requireNonNull(type, "type");
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        new AvroSerdeConfig(configs); // validate
        if (client == null) {
            this.client = new RestSchemaRegistryClient(configs);
            this.ownsClient = true;
        }
    }

    @Override
    public T deserialize(String topic, byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        SchemaRegistryClient registry = client;
        if (registry == null) {
            throw new IllegalStateException("ConfluentAvroDeserializer is not configured: call configure() with "
                    + AvroSerdeConfig.SCHEMA_REGISTRY_URL + " or construct it with a SchemaRegistryClient");
        }
        int schemaId = WireFormat.schemaId(bytes, topic);
        Schema writer = registry.getById(schemaId);
        checkBody(topic, schemaId, writer, bytes);
        SpecificDatumReader<T> reader = readers.computeIfAbsent(new ReaderKey(schemaId, type), key -> readerFor(topic, schemaId, writer));
        try {
            BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(bytes, WireFormat.HEADER_SIZE,
                    bytes.length - WireFormat.HEADER_SIZE, null);
            return reader.read(null, decoder);
        } catch (SecurityException e) {
            throw new SerializationException("Avro refused to load a class named by a java-class property of schema "
                    + writer.getFullName() + " (" + e.getMessage() + "): add its package to the system property "
                    + "org.apache.avro.SERIALIZABLE_PACKAGES", e);
        } catch (IOException | RuntimeException e) {
            throw corrupt(topic, schemaId, writer, e);
        }
    }

    /**
     * Walks the body with the writer schema without building anything: a corrupt length or count runs into the end
     * of the bytes (EOF) instead of allocating, a string that is not UTF-8 is an {@link InvalidUtf8Exception}, and
     * bytes left over mean the id names a different schema.
     */
    private static void checkBody(String topic, int schemaId, Schema writer, byte[] bytes) {
        BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(bytes, WireFormat.HEADER_SIZE,
                bytes.length - WireFormat.HEADER_SIZE, null);
        try {
            AvroBodyCheck.walk(writer, decoder, bytes.length - WireFormat.HEADER_SIZE);
            if (!decoder.isEnd()) {
                throw new NotConfluentFramedException(Reason.CORRUPT_BODY, "record on topic '" + topic
                        + "' has bytes left over after decoding its Avro body with schema id " + schemaId + " ("
                        + writer.getFullName() + "): the body was not written with the schema its header names; "
                        + "fix the producer");
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof NotConfluentFramedException framing) {
                throw framing;
            }
            if (e instanceof InvalidUtf8Exception notUtf8) {
                throw new InvalidUtf8Exception("record on topic '" + topic + "' (schema id " + schemaId + ", "
                        + writer.getFullName() + "): " + notUtf8.getMessage());
            }
            throw corrupt(topic, schemaId, writer, e);
        }
    }

    private static NotConfluentFramedException corrupt(String topic, int schemaId, Schema writer, Exception e) {
        return new NotConfluentFramedException(Reason.CORRUPT_BODY, "record on topic '" + topic
                + "' has a valid Confluent header (schema id " + schemaId + ", " + writer.getFullName()
                + ") but its Avro body does not decode with that schema (" + e + "): the record is corrupt or was "
                + "written with a different schema than its id names; fix the producer", e);
    }

    private SpecificDatumReader<T> readerFor(String topic, int schemaId, Schema writer) {
        Class<?> readerClass = type != null ? type : SpecificData.get().getClass(writer);
        if (readerClass == null || !SpecificRecord.class.isAssignableFrom(readerClass)) {
            throw new SerializationException("no generated Avro class for " + writer.getFullName() + " (schema id "
                    + schemaId + ", topic '" + topic + "') on the classpath: construct the deserializer with the class to read into");
        }
        SpecificData model = SpecificData.getForClass(readerClass);
        Schema readerSchema = model.getSchema(readerClass);
        SchemaCompatibility.SchemaPairCompatibility pair = SchemaCompatibility.checkReaderWriterCompatibility(readerSchema, writer);
        if (pair.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
            throw new SerializationException(readerClass.getName() + " cannot read records written with schema id "
                    + schemaId + " on topic '" + topic + "': " + String.join("; ", AvroCompatibility.describe(
                    "reader cannot resolve writer", pair)) + ". Upgrade the consumer to a schema that can read it "
                    + "(the producer broke BACKWARD compatibility, or consumer and producer use unrelated schemas)");
        }
        return new SpecificDatumReader<>(writer, readerSchema, model);
    }

    /** Closes the registry client if this deserializer created it. */
    @Override
    public void close() {
        if (ownsClient && client != null) {
            client.close();
        }
    }
}
