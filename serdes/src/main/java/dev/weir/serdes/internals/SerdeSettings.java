package dev.weir.serdes.internals;

import java.time.Duration;
import java.util.Map;

import dev.weir.serdes.AvroSerdeConfig;
import dev.weir.serdes.SubjectNameStrategy;
import dev.weir.serdes.TopicNameStrategy;

/** What a serializer or deserializer takes from its configuration, parsed once. */
public record SerdeSettings(boolean autoRegister, boolean useLatestVersion, Duration latestCacheTtl,
                            SubjectNameStrategy keyStrategy, SubjectNameStrategy valueStrategy) {

    /** Confluent's defaults: auto-register, the record's own schema, TopicNameStrategy. */
    public static SerdeSettings defaults() {
        return new SerdeSettings(true, false, Duration.ofSeconds(-1), new TopicNameStrategy(), new TopicNameStrategy());
    }

    public static SerdeSettings fromConfig(Map<String, ?> configs) {
        AvroSerdeConfig config = new AvroSerdeConfig(configs);
        return new SerdeSettings(
                config.getBoolean(AvroSerdeConfig.AUTO_REGISTER_SCHEMAS),
                config.getBoolean(AvroSerdeConfig.USE_LATEST_VERSION),
                Duration.ofSeconds(config.getLong(AvroSerdeConfig.LATEST_CACHE_TTL_SEC)),
                SubjectNameStrategies.resolve(AvroSerdeConfig.KEY_SUBJECT_NAME_STRATEGY,
                        config.getString(AvroSerdeConfig.KEY_SUBJECT_NAME_STRATEGY)),
                SubjectNameStrategies.resolve(AvroSerdeConfig.VALUE_SUBJECT_NAME_STRATEGY,
                        config.getString(AvroSerdeConfig.VALUE_SUBJECT_NAME_STRATEGY)));
    }

    public SubjectNameStrategy strategy(boolean isKey) {
        return isKey ? keyStrategy : valueStrategy;
    }
}
