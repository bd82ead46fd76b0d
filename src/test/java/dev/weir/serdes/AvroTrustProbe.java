package dev.weir.serdes;

import org.apache.avro.specific.SpecificRecord;

/**
 * Run by {@link AvroTrustTest} in a child JVM started without {@code -Dorg.apache.avro.SERIALIZABLE_PACKAGES}:
 * round-trips every Weir record through the serde and exits non-zero on the first failure.
 */
public final class AvroTrustProbe {
    private AvroTrustProbe() {
    }

    public static void main(String[] args) {
        if (System.getProperty("org.apache.avro.SERIALIZABLE_PACKAGES") != null) {
            throw new IllegalStateException("the probe must run without org.apache.avro.SERIALIZABLE_PACKAGES");
        }
        InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
        for (SpecificRecord record : WeirRecords.all()) {
            @SuppressWarnings("unchecked")
            Class<SpecificRecord> type = (Class<SpecificRecord>) record.getClass();
            ConfluentAvroSerde<SpecificRecord> serde = ConfluentAvroSerde.forValue(registry, type);
            String topic = "probe." + type.getSimpleName();
            SpecificRecord back = serde.deserializer().deserialize(topic, serde.serializer().serialize(topic, record));
            if (!record.equals(back)) {
                throw new IllegalStateException(type.getSimpleName() + " did not survive the round trip: " + back);
            }
        }
    }
}
