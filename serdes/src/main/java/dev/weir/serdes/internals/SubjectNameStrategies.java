package dev.weir.serdes.internals;

import java.lang.reflect.InvocationTargetException;
import java.util.Map;

import org.apache.kafka.common.config.ConfigException;

import dev.weir.serdes.RecordNameStrategy;
import dev.weir.serdes.SubjectNameStrategy;
import dev.weir.serdes.TopicNameStrategy;
import dev.weir.serdes.TopicRecordNameStrategy;

/** Resolves a configured subject name strategy: Weir's classes, Confluent's class names as aliases, short names, or any implementation. */
public final class SubjectNameStrategies {
    private static final Map<String, Class<? extends SubjectNameStrategy>> BUILT_IN = Map.ofEntries(
            Map.entry("TopicNameStrategy", TopicNameStrategy.class),
            Map.entry("RecordNameStrategy", RecordNameStrategy.class),
            Map.entry("TopicRecordNameStrategy", TopicRecordNameStrategy.class),
            Map.entry(TopicNameStrategy.class.getName(), TopicNameStrategy.class),
            Map.entry(RecordNameStrategy.class.getName(), RecordNameStrategy.class),
            Map.entry(TopicRecordNameStrategy.class.getName(), TopicRecordNameStrategy.class),
            Map.entry("io.confluent.kafka.serializers.subject.TopicNameStrategy", TopicNameStrategy.class),
            Map.entry("io.confluent.kafka.serializers.subject.RecordNameStrategy", RecordNameStrategy.class),
            Map.entry("io.confluent.kafka.serializers.subject.TopicRecordNameStrategy", TopicRecordNameStrategy.class));

    private SubjectNameStrategies() {
    }

    public static SubjectNameStrategy resolve(String configKey, String name) {
        String trimmed = name == null ? "" : name.strip();
        Class<? extends SubjectNameStrategy> builtIn = BUILT_IN.get(trimmed);
        if (builtIn != null) {
            return instantiate(configKey, builtIn);
        }
        Class<?> custom;
        try {
            custom = Class.forName(trimmed, true, Thread.currentThread().getContextClassLoader() != null
                    ? Thread.currentThread().getContextClassLoader() : SubjectNameStrategies.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new ConfigException(configKey, name, "unknown subject name strategy; use TopicNameStrategy, "
                    + "RecordNameStrategy, TopicRecordNameStrategy or the class name of a " + SubjectNameStrategy.class.getName());
        }
        if (!SubjectNameStrategy.class.isAssignableFrom(custom)) {
            throw new ConfigException(configKey, name, "class does not implement " + SubjectNameStrategy.class.getName());
        }
        return instantiate(configKey, custom.asSubclass(SubjectNameStrategy.class));
    }

    private static SubjectNameStrategy instantiate(String configKey, Class<? extends SubjectNameStrategy> type) {
        try {
            return type.getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | RuntimeException e) {
            Throwable cause = e instanceof InvocationTargetException ite ? ite.getCause() : e;
            throw new ConfigException(configKey, type.getName(), "cannot instantiate (needs a public no-argument constructor): " + cause);
        }
    }
}
