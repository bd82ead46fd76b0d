package dev.weir.serdes;

import java.util.Map;
import java.util.Objects;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Kafka {@link Serde} for Avro specific records in the Confluent wire format, pairing
 * {@link ConfluentAvroSerializer} and {@link ConfluentAvroDeserializer} over one {@link SchemaRegistryClient}.
 *
 * <p>In code, with a shared client (the usual way in Weir):
 * <pre>{@code
 * SchemaRegistryClient registry = new RestSchemaRegistryClient(configs);   // or new InMemorySchemaRegistryClient()
 * Serde<VideoFrame> frames = ConfluentAvroSerde.forValue(registry, VideoFrame.class);
 * }</pre>
 * By configuration ({@code default.value.serde}, or the no-argument constructor then {@link #configure}): the
 * serde creates its own {@link RestSchemaRegistryClient} from the {@link AvroSerdeConfig} keys and closes it on
 * {@link #close()}.
 */
public final class ConfluentAvroSerde<T extends SpecificRecord> implements Serde<T> {

    private final Class<T> type;
    private SchemaRegistryClient client;
    private boolean ownsClient;
    private ConfluentAvroSerializer<T> serializer;
    private ConfluentAvroDeserializer<T> deserializer;

    /** For Kafka's reflective instantiation: reads into the generated class the writer schema names. */
    public ConfluentAvroSerde() {
        this.type = null;
    }

    /** A serde for {@code type} that still needs {@link #configure} with {@code schema.registry.url}. */
    public ConfluentAvroSerde(Class<T> type) {
        this.type = Objects.requireNonNull(type, "type");
    }

    /**
     * A ready-to-use serde for {@code type} over {@code client} (which it does not close) with Confluent's default
     * settings (auto-register, TopicNameStrategy); {@link #configure} may still override settings.
     */
    public ConfluentAvroSerde(SchemaRegistryClient client, Class<T> type, boolean isKey) {
        this.type = Objects.requireNonNull(type, "type");
        this.client = Objects.requireNonNull(client, "client");
        this.serializer = new ConfluentAvroSerializer<>(client, isKey);
        this.deserializer = new ConfluentAvroDeserializer<>(client, type);
    }

    /** A ready-to-use serde for record values of {@code type} (subject {@code <topic>-value}). */
    public static <T extends SpecificRecord> ConfluentAvroSerde<T> forValue(SchemaRegistryClient client, Class<T> type) {
        return new ConfluentAvroSerde<>(client, type, false);
    }

    /** A ready-to-use serde for record keys of {@code type} (subject {@code <topic>-key}). */
    public static <T extends SpecificRecord> ConfluentAvroSerde<T> forKey(SchemaRegistryClient client, Class<T> type) {
        return new ConfluentAvroSerde<>(client, type, true);
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        if (client == null) {
            client = new RestSchemaRegistryClient(configs);
            ownsClient = true;
        }
        serializer = new ConfluentAvroSerializer<>(client, isKey);
        deserializer = new ConfluentAvroDeserializer<>(client, type);
        serializer.configure(configs, isKey);
        deserializer.configure(configs, isKey);
    }

    @Override
    public Serializer<T> serializer() {
        return requireConfigured(serializer);
    }

    @Override
    public Deserializer<T> deserializer() {
        return requireConfigured(deserializer);
    }

    /** Closes the registry client if this serde created it from configuration. */
    @Override
    public void close() {
        if (ownsClient && client != null) {
            client.close();
        }
    }

    private <S> S requireConfigured(S part) {
        if (part == null) {
            throw new IllegalStateException("ConfluentAvroSerde is not configured: call configure() with "
                    + AvroSerdeConfig.SCHEMA_REGISTRY_URL + " or use ConfluentAvroSerde.forValue(client, type)");
        }
        return part;
    }
}
