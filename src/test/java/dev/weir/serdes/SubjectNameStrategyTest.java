package dev.weir.serdes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.apache.avro.Schema;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

import dev.weir.avro.VideoFrame;
import dev.weir.serdes.internals.SubjectNameStrategies;

class SubjectNameStrategyTest {

    private static final Schema FRAME = VideoFrame.getClassSchema();

    /** A user-defined strategy, configured by class name. */
    public static final class PrefixedStrategy implements SubjectNameStrategy {
        @Override
        public String subjectName(String topic, boolean isKey, Schema schema) {
            return "team-a." + topic;
        }
    }

    @Test
    void topicNameStrategyIsTheDefaultAndNamesKeyAndValueSubjects() {
        assertEquals("frames-value", new TopicNameStrategy().subjectName("frames", false, FRAME));
        assertEquals("frames-key", new TopicNameStrategy().subjectName("frames", true, FRAME));
        assertEquals(AvroSerdeConfig.CONFIG_DEF.defaultValues().get(AvroSerdeConfig.VALUE_SUBJECT_NAME_STRATEGY),
                TopicNameStrategy.class.getName());
    }

    @Test
    void recordNameStrategiesUseTheFullRecordName() {
        assertEquals("dev.weir.avro.VideoFrame", new RecordNameStrategy().subjectName("frames", false, FRAME));
        assertEquals("frames-dev.weir.avro.VideoFrame", new TopicRecordNameStrategy().subjectName("frames", false, FRAME));
    }

    @Test
    void confluentClassNamesAndShortNamesAreAliases() {
        String key = AvroSerdeConfig.VALUE_SUBJECT_NAME_STRATEGY;
        assertInstanceOf(TopicNameStrategy.class,
                SubjectNameStrategies.resolve(key, "io.confluent.kafka.serializers.subject.TopicNameStrategy"));
        assertInstanceOf(RecordNameStrategy.class,
                SubjectNameStrategies.resolve(key, "io.confluent.kafka.serializers.subject.RecordNameStrategy"));
        assertInstanceOf(TopicRecordNameStrategy.class,
                SubjectNameStrategies.resolve(key, "io.confluent.kafka.serializers.subject.TopicRecordNameStrategy"));
        assertInstanceOf(RecordNameStrategy.class, SubjectNameStrategies.resolve(key, "RecordNameStrategy"));
        assertInstanceOf(PrefixedStrategy.class, SubjectNameStrategies.resolve(key, PrefixedStrategy.class.getName()));
    }

    @Test
    void anUnknownOrWrongClassIsAConfigErrorNamingTheKey() {
        ConfigException unknown = assertThrows(ConfigException.class,
                () -> SubjectNameStrategies.resolve(AvroSerdeConfig.KEY_SUBJECT_NAME_STRATEGY, "com.example.Nope"));
        assertTrue(unknown.getMessage().contains(AvroSerdeConfig.KEY_SUBJECT_NAME_STRATEGY), unknown.getMessage());
        assertThrows(ConfigException.class,
                () -> SubjectNameStrategies.resolve(AvroSerdeConfig.KEY_SUBJECT_NAME_STRATEGY, String.class.getName()));
    }

    @Test
    void theSerializerRegistersUnderTheConfiguredStrategysSubject() {
        // given value serializers configured with Confluent's RecordNameStrategy name and with a custom class
        InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
        ConfluentAvroSerializer<VideoFrame> byRecord = new ConfluentAvroSerializer<>(registry, false);
        byRecord.configure(Map.of(AvroSerdeConfig.VALUE_SUBJECT_NAME_STRATEGY,
                "io.confluent.kafka.serializers.subject.RecordNameStrategy"), false);
        ConfluentAvroSerializer<VideoFrame> custom = new ConfluentAvroSerializer<>(registry, false);
        custom.configure(Map.of(AvroSerdeConfig.VALUE_SUBJECT_NAME_STRATEGY, PrefixedStrategy.class.getName()), false);

        // when each writes a frame
        byRecord.serialize("frames", WeirRecords.videoFrame());
        custom.serialize("frames", WeirRecords.videoFrame());

        // then the schema is registered under those subjects
        assertEquals(java.util.List.of("dev.weir.avro.VideoFrame", "team-a.frames"), registry.subjects());
    }
}
