package dev.weir.serdes;

import java.io.IOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
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
 * <p>An enum symbol of the writer that the reader's enum lacks is read, as Avro's schema resolution reads it, as
 * the reader's default; a deserializer made by {@link #refusingUnknownSymbols} refuses it instead
 * ({@link UnknownSymbolException}), for records whose enums say what their bytes mean.
 *
 * <p>Without a class ({@link #ConfluentAvroDeserializer()}), the reader class is the generated class named by
 * the writer schema. Avro 1.12's {@code org.apache.avro.SERIALIZABLE_PACKAGES} only gates classes named by
 * {@code java-class} properties of the reader schema; Weir's generated schemas have none, so the property need
 * not be set. A class Avro refuses is reported as a {@link SerializationException} naming the property.
 */
public final class ConfluentAvroDeserializer<T extends SpecificRecord> implements Deserializer<T> {

    private record ReaderKey(int schemaId, Class<?> type) {
    }

    /**
     * How records of one writer schema are read: the datum reader, and the writer's enum symbols refused, by enum
     * full name, with the reader's enum of that name (for the message).
     */
    private record Reader<T>(SpecificDatumReader<T> datum, Map<String, Set<String>> refusedSymbols, Map<String, Schema> readerEnums) {
    }

    private final Class<T> type;
    private final boolean refuseUnknownSymbols;
    private volatile SchemaRegistryClient client;
    private volatile boolean ownsClient;
    private final Map<ReaderKey, Reader<T>> readers = new ConcurrentHashMap<>();

    /** For Kafka's reflective instantiation: reads into the class the writer schema names; {@link #configure} must follow. */
    public ConfluentAvroDeserializer() {
        this.type = null;
        this.refuseUnknownSymbols = false;
    }

    /**
     * Reads into {@code type} (or, when null, into the generated class the writer schema names) through
     * {@code client} (not closed by {@link #close()}); ready to use.
     */
    public ConfluentAvroDeserializer(SchemaRegistryClient client, Class<T> type) {
        this(client, type, false);
    }

    /** Reads into {@code type}; {@link #configure} must follow, with {@code schema.registry.url}. */
    public ConfluentAvroDeserializer(Class<T> type) {
        this.type = Objects.requireNonNull(type, "type");
        this.refuseUnknownSymbols = false;
    }

    private ConfluentAvroDeserializer(SchemaRegistryClient client, Class<T> type, boolean refuseUnknownSymbols) {
        this.client = Objects.requireNonNull(client, "client");
        this.type = type;
        this.refuseUnknownSymbols = refuseUnknownSymbols;
    }

    /**
     * Reads into {@code type} through {@code client} (not closed by {@link #close()}), refusing a record that holds an
     * enum symbol {@code type}'s schema does not have ({@link UnknownSymbolException}) where Avro's schema resolution
     * would read the enum's default in its place: for records whose enums say what their bytes mean, such as a pixel
     * or sample format, where a format this reader does not know must not be read as another one.
     */
    public static <T extends SpecificRecord> ConfluentAvroDeserializer<T> refusingUnknownSymbols(SchemaRegistryClient client, Class<T> type) {
        return new ConfluentAvroDeserializer<>(client, Objects.requireNonNull(type, "type"), true);
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
        Reader<T> reader = readers.computeIfAbsent(new ReaderKey(schemaId, type), key -> readerFor(topic, schemaId, writer));
        checkBody(topic, schemaId, writer, reader, bytes);
        try {
            BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(bytes, WireFormat.HEADER_SIZE,
                    bytes.length - WireFormat.HEADER_SIZE, null);
            return reader.datum().read(null, decoder);
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
     * of the bytes (EOF) instead of allocating, a string that is not UTF-8 is an {@link InvalidUtf8Exception}, a
     * refused enum symbol an {@link UnknownSymbolException}, and bytes left over mean the id names a different schema.
     */
    private static void checkBody(String topic, int schemaId, Schema writer, Reader<?> reader, byte[] bytes) {
        BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(bytes, WireFormat.HEADER_SIZE,
                bytes.length - WireFormat.HEADER_SIZE, null);
        try {
            AvroBodyCheck.walk(writer, decoder, bytes.length - WireFormat.HEADER_SIZE, reader.refusedSymbols());
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
            if (e instanceof UnknownSymbolException unknown) {
                throw new UnknownSymbolException(unknown.enumName(), unknown.symbol(), "record on topic '" + topic
                        + "' (schema id " + schemaId + ", " + writer.getFullName() + "): " + unknown.getMessage()
                        + knownSymbols(reader.readerEnums().get(unknown.enumName()))
                        + ": a producer on a newer schema used it; it is refused rather than read as another symbol");
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

    /** What the reader's enum knows, and the default Avro's resolution would read. */
    private static String knownSymbols(Schema known) {
        return " (it knows " + String.join(", ", known.getEnumSymbols())
                + (known.getEnumDefault() == null ? ")" : "; Avro would read its default, " + known.getEnumDefault() + ")");
    }

    private Reader<T> readerFor(String topic, int schemaId, Schema writer) {
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
        SpecificDatumReader<T> datum = new SpecificDatumReader<>(writer, readerSchema, model);
        if (!refuseUnknownSymbols) {
            return new Reader<>(datum, Map.of(), Map.of());
        }
        Map<String, Schema> readerEnums = enums(readerSchema);
        Map<String, Set<String>> refused = new HashMap<>();
        enums(writer).forEach((name, written) -> {
            Schema known = readerEnums.get(name);
            if (known != null) {
                Set<String> unknown = new LinkedHashSet<>(written.getEnumSymbols());
                unknown.removeAll(known.getEnumSymbols());
                if (!unknown.isEmpty()) {
                    refused.put(name, Set.copyOf(unknown));
                }
            }
        });
        return new Reader<>(datum, Map.copyOf(refused), Map.copyOf(readerEnums));
    }

    /** Every enum of {@code schema}, by full name. */
    private static Map<String, Schema> enums(Schema schema) {
        Map<String, Schema> found = new HashMap<>();
        collectEnums(schema, found, new HashSet<>());
        return found;
    }

    private static void collectEnums(Schema schema, Map<String, Schema> found, Set<String> records) {
        switch (schema.getType()) {
            case ENUM -> found.putIfAbsent(schema.getFullName(), schema);
            case RECORD -> {
                if (records.add(schema.getFullName())) {
                    schema.getFields().forEach(f -> collectEnums(f.schema(), found, records));
                }
            }
            case ARRAY -> collectEnums(schema.getElementType(), found, records);
            case MAP -> collectEnums(schema.getValueType(), found, records);
            case UNION -> schema.getTypes().forEach(t -> collectEnums(t, found, records));
            default -> {
            }
        }
    }

    /** Closes the registry client if this deserializer created it. */
    @Override
    public void close() {
        if (ownsClient && client != null) {
            client.close();
        }
    }
}
