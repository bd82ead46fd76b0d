package dev.weir.topology;

import dev.weir.serdes.ConfluentAvroSerde;
import dev.weir.serdes.SchemaRegistryClient;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

import java.util.Map;

/**
 * A topic with the serdes of its keys and values (as confluentinc/kafka-streams-examples' {@code Schemas.Topics}):
 * whoever reads or writes it, the topology, the command line or a test, uses the same pair.
 *
 * @param name       the topic's name
 * @param keySerde   its keys' serde
 * @param valueSerde its values' serde
 */
public record Topic<K, V>(String name, Serde<K> keySerde, Serde<V> valueSerde) {

    /** A topic of Avro records of {@code type}, keyed by stream id, in the Confluent wire format of {@code registry}. */
    public static <V extends SpecificRecord> Topic<String, V> avro(String name, Class<V> type, SchemaRegistryClient registry,
                                                                   Map<String, ?> serdeConfig) {
        ConfluentAvroSerde<V> values = ConfluentAvroSerde.forValue(registry, type);
        if (serdeConfig.containsKey(WeirConfig.SCHEMA_REGISTRY_URL)) {
            // the client is given; configure passes the serde settings (subject strategy, auto-register, ...)
            values.configure(serdeConfig, false);
        }
        return new Topic<>(name, Serdes.String(), values);
    }

    /** A topic whose keys and values are bytes Weir does not interpret (the dead letters, raw input). */
    public static Topic<byte[], byte[]> bytes(String name) {
        return new Topic<>(name, Serdes.ByteArray(), Serdes.ByteArray());
    }
}
