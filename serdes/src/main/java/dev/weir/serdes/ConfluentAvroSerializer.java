package dev.weir.serdes;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

import dev.weir.serdes.internals.AvroCompatibility;
import dev.weir.serdes.internals.SerdeSettings;
import dev.weir.serdes.internals.RecordBuffer;
import dev.weir.serdes.internals.WireFormat;

/**
 * Writes Avro specific records in the Confluent wire format: {@code 0x00}, the 4-byte big-endian schema id, the
 * Avro binary body. The schema is registered under the configured subject ({@code auto.register.schemas},
 * default true) or looked up there, once per schema: ids are cached by the {@link SchemaRegistryClient}.
 *
 * <p>Either create it with a client ({@link #ConfluentAvroSerializer(SchemaRegistryClient, boolean)}, ready to
 * use with Confluent's defaults, {@link #configure} optional), or let Kafka create it with the no-argument
 * constructor and {@link #configure} it with {@link AvroSerdeConfig} keys, in which case it creates and closes
 * its own {@link RestSchemaRegistryClient}. Thread-safe after configuration. {@code null} serializes to
 * {@code null} (tombstones).
 */
public final class ConfluentAvroSerializer<T extends SpecificRecord> implements Serializer<T> {

    private record LatestEntry(RegisteredSchema latest, long expiresAtNanos) {
    }

    private volatile SchemaRegistryClient client;
    private volatile boolean ownsClient;
    private volatile boolean isKey;
    private volatile SerdeSettings settings = SerdeSettings.defaults();
    private final Map<Schema, DatumWriter<Object>> writers = new ConcurrentHashMap<>();
    private final Map<String, LatestEntry> latestBySubject = new ConcurrentHashMap<>();
    private final Map<Schema, Schema> checkedConversions = new ConcurrentHashMap<>();

    /** For Kafka's reflective instantiation: {@link #configure} must follow, with {@code schema.registry.url}. */
    public ConfluentAvroSerializer() {
    }

    /** A serializer using {@code client} (not closed by {@link #close()}) with Confluent's default settings. */
    public ConfluentAvroSerializer(SchemaRegistryClient client, boolean isKey) {
        this.client = Objects.requireNonNull(client, "client");
        this.isKey = isKey;
    }

    /**
     * Applies {@link AvroSerdeConfig} settings. Without a client given at construction, creates a
     * {@link RestSchemaRegistryClient} from the same configuration.
     */
    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        this.settings = SerdeSettings.fromConfig(configs);
        this.isKey = isKey;
        if (client == null) {
            this.client = new RestSchemaRegistryClient(configs);
            this.ownsClient = true;
        }
    }

    @Override
    public byte[] serialize(String topic, T record) {
        if (record == null) {
            return null;
        }
        SchemaRegistryClient registry = client;
        if (registry == null) {
            throw new IllegalStateException("ConfluentAvroSerializer is not configured: call configure() with "
                    + AvroSerdeConfig.SCHEMA_REGISTRY_URL + " or construct it with a SchemaRegistryClient");
        }
        Schema schema = record.getSchema();
        SerdeSettings current = settings;
        String subject = current.strategy(isKey).subjectName(topic, isKey, schema);
        if (current.useLatestVersion()) {
            RegisteredSchema latest = latest(registry, subject, current);
            return frame(latest.id(), latest.schema().equals(schema) ? record : convert(record, schema, latest));
        }
        int id;
        if (current.autoRegister()) {
            id = registry.register(subject, schema);
        } else {
            id = registry.lookup(subject, schema).orElseThrow(() -> new SchemaNotRegisteredException(subject,
                    "schema " + schema.getFullName() + " is not registered under subject '" + subject + "' and "
                            + AvroSerdeConfig.AUTO_REGISTER_SCHEMAS + "=false: register it first (SchemaBootstrap "
                            + "does at start-up) or set " + AvroSerdeConfig.AUTO_REGISTER_SCHEMAS + "=true")).id();
        }
        return frame(id, record);
    }

    private RegisteredSchema latest(SchemaRegistryClient registry, String subject, SerdeSettings current) {
        long now = System.nanoTime();
        LatestEntry cached = latestBySubject.get(subject);
        if (cached != null && (current.latestCacheTtl().isNegative() || now - cached.expiresAtNanos() < 0)) {
            return cached.latest();
        }
        RegisteredSchema latest = registry.latest(subject).orElseThrow(() -> new SchemaNotRegisteredException(subject,
                "subject '" + subject + "' has no registered version but " + AvroSerdeConfig.USE_LATEST_VERSION
                        + "=true: register the schema first (SchemaBootstrap does at start-up)"));
        latestBySubject.put(subject, new LatestEntry(latest, now + current.latestCacheTtl().toNanos()));
        return latest;
    }

    /** The record re-encoded as the latest schema, which must be able to read data written with the record's own. */
    private Object convert(T record, Schema own, RegisteredSchema latest) {
        Schema target = latest.schema();
        if (!target.equals(checkedConversions.get(own))) {
            SchemaCompatibility.SchemaPairCompatibility pair = SchemaCompatibility.checkReaderWriterCompatibility(target, own);
            if (pair.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
                throw new IncompatibleSchemaException(latest.subject(), AvroCompatibility.describe(
                        "latest version " + latest.version() + " cannot read the record's schema", pair));
            }
            checkedConversions.put(own, target);
        }
        try {
            byte[] ownBytes = encode(own, record);
            GenericDatumReader<Object> reader = new GenericDatumReader<>(own, target, GenericData.get());
            return new ConvertedDatum(target, reader.read(null, DecoderFactory.get().binaryDecoder(ownBytes, null)));
        } catch (IOException e) {
            throw new SerializationException("cannot convert " + own.getFullName() + " to latest version "
                    + latest.version() + " of subject '" + latest.subject() + "'", e);
        }
    }

    /** A datum already in the shape of {@code schema}, written with the generic model. */
    private record ConvertedDatum(Schema schema, Object datum) {
    }

    private byte[] frame(int schemaId, Object datum) {
        RecordBuffer out = RecordBuffer.forThisThread();
        byte[] header = new byte[WireFormat.HEADER_SIZE];
        WireFormat.writeHeader(header, schemaId);
        out.writeBytes(header);
        try {
            if (datum instanceof ConvertedDatum converted) {
                write(new GenericDatumWriter<>(converted.schema(), GenericData.get()), converted.datum(), out);
            } else {
                SpecificRecord record = (SpecificRecord) datum;
                write(writers.computeIfAbsent(record.getSchema(), ConfluentAvroSerializer::writerFor), record, out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // ByteArrayOutputStream does not throw
        } catch (RuntimeException e) {
            throw new SerializationException("cannot Avro-encode a " + ((datum instanceof ConvertedDatum c) ? c.schema().getFullName()
                    : datum.getClass().getName()) + ": " + e + " (a required field is null or has the wrong type?)", e);
        }
        return out.takeBytes();
    }

    private static DatumWriter<Object> writerFor(Schema schema) {
        return new SpecificDatumWriter<>(schema, SpecificData.getForSchema(schema));
    }

    private static byte[] encode(Schema schema, Object datum) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        write(writerFor(schema), datum, out);
        return out.toByteArray();
    }

    private static void write(DatumWriter<Object> writer, Object datum, ByteArrayOutputStream out) throws IOException {
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        writer.write(datum, encoder);
        encoder.flush();
    }

    /** Closes the registry client if this serializer created it. */
    @Override
    public void close() {
        if (ownsClient && client != null) {
            client.close();
        }
    }
}
