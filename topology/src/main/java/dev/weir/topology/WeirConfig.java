package dev.weir.topology;

import dev.weir.kernels.DeviceLimits;
import dev.weir.serdes.AvroSerdeConfig;
import dev.weir.topology.modality.Modality;
import dev.weir.topology.modality.ModalityTopicNames;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Every Weir setting, from a properties file and {@code WEIR_*} environment variables (which win).
 *
 * <p>An environment variable maps to a key by dropping {@code WEIR_}, lower-casing and turning
 * {@code _} into {@code .}: {@code WEIR_BOOTSTRAP_SERVERS} sets {@code bootstrap.servers},
 * {@code WEIR_WEIR_VIDEO_PATCH_SIZE} sets {@code weir.video.patch.size}. Keys starting with {@code weir.}
 * are Weir's own; schema-registry keys go to the serdes; everything else goes to Kafka Streams and
 * its clients unchanged.
 */
public final class WeirConfig {

    public static final String BOOTSTRAP_SERVERS = "bootstrap.servers";
    public static final String SCHEMA_REGISTRY_URL = "schema.registry.url";
    public static final String APPLICATION_ID = "application.id";

    /** The modalities the topology carries, comma-separated: {@code video}, ... (see {@link Modalities}). */
    public static final String MODALITIES = "weir.modalities";
    /** Prefix of the topic-name keys: {@code weir.topic.MODALITY.ROLE} (video: frames, tokens, decoded). */
    public static final String TOPIC_PREFIX = "weir.topic.";
    public static final String TOPIC_DEAD_LETTERS = "weir.topic.dead.letters";
    public static final String TOPIC_PARTITIONS = "weir.topic.partitions";
    public static final String TOPIC_REPLICATION = "weir.topic.replication.factor";
    public static final String KERNEL_BACKEND = "weir.kernels.backend";
    /**
     * Most device memory one stream's fused frame step may need on an accelerator, in bytes (its picture plus the
     * working buffers of its frame size; default 256 MiB): a stream that needs more runs on {@code jvm}, logged and
     * counted ({@code device-fallbacks}).
     */
    public static final String DEVICE_STREAM_BYTES = "weir.kernels.device.stream.bytes";
    /** Most device memory the process's streams may hold together, in bytes; 0 (the default) = 3/4 of the device. */
    public static final String DEVICE_TOTAL_BYTES = "weir.kernels.device.total.bytes";
    public static final String MAX_EVENT_BYTES = "weir.max.event.bytes";
    public static final String STREAM_IDLE_TIMEOUT_MS = "weir.stream.idle.timeout.ms";
    /**
     * This instance's static group membership id ({@code group.instance.id}, KIP-345): {@code auto} (a random
     * id kept in the state directory, so a restarted instance is the same member), {@code none} (dynamic
     * membership), or an id of the operator's that must differ between instances.
     */
    public static final String INSTANCE_ID = "weir.instance.id";
    /**
     * Largest dead-letter record, in bytes: set at start-up from the dead-letter topic's
     * {@code max.message.bytes} and the producer's request limit; a dead letter that would exceed it keeps
     * a prefix of the bad value (see {@code DeadLetters}).
     */
    public static final String DEAD_LETTER_MAX_BYTES = "weir.dead.letter.max.bytes";

    /** How long the start-up check waits for the brokers, in milliseconds (default 20000). */
    public static final String STARTUP_TIMEOUT_MS = "weir.startup.timeout.ms";

    /** Port of the HTTP server of {@code /health}, {@code /ready} and {@code /metrics}; 0 (the default) serves nothing. */
    public static final String HTTP_PORT = "weir.http.port";
    /** Address the HTTP server listens on (default {@code 127.0.0.1}: this host only; {@code 0.0.0.0} in a container). */
    public static final String HTTP_BIND = "weir.http.bind";
    /**
     * How often metrics that appeared since (a task assigned) join the Prometheus registry, and the per-modality
     * counters read the tasks' sensors, in ms (default 10000).
     */
    public static final String METRICS_REFRESH_MS = "weir.metrics.refresh.ms";

    /** Weir's default consumer session timeout: a crashed instance's partitions move after 15 s (Kafka's default is 45 s). */
    static final String DEFAULT_SESSION_TIMEOUT_MS = "15000";
    /** Heartbeats at a fifth of the session timeout. */
    static final String DEFAULT_HEARTBEAT_INTERVAL_MS = "3000";

    /** Largest event Weir accepts (and the topic and client limit it configures): 32 MiB. */
    public static final int DEFAULT_MAX_EVENT_BYTES = 32 * 1024 * 1024;

    /** How long a stream may send nothing before its state is deleted: 24 hours. */
    public static final Duration DEFAULT_STREAM_IDLE_TIMEOUT = Duration.ofHours(24);

    private static final Map<String, String> DEFAULTS = Map.ofEntries(
            Map.entry(APPLICATION_ID, "weir"),
            Map.entry(MODALITIES, "video,audio,text"),
            Map.entry(TOPIC_DEAD_LETTERS, "weir.dead-letters"),
            Map.entry(TOPIC_PARTITIONS, "3"),
            Map.entry(TOPIC_REPLICATION, "1"),
            Map.entry(KERNEL_BACKEND, "auto"),
            Map.entry(DEVICE_STREAM_BYTES, Long.toString(DeviceLimits.DEFAULT_STREAM_BYTES)),
            Map.entry(DEVICE_TOTAL_BYTES, "0"),
            Map.entry(MAX_EVENT_BYTES, Integer.toString(DEFAULT_MAX_EVENT_BYTES)),
            Map.entry(STREAM_IDLE_TIMEOUT_MS, Long.toString(DEFAULT_STREAM_IDLE_TIMEOUT.toMillis())),
            Map.entry(INSTANCE_ID, "auto"),
            Map.entry(STARTUP_TIMEOUT_MS, "20000"),
            Map.entry(HTTP_PORT, "0"),
            Map.entry(HTTP_BIND, "127.0.0.1"),
            Map.entry(METRICS_REFRESH_MS, "10000"));

    private final Map<String, String> values;

    private WeirConfig(Map<String, String> values) {
        this.values = Map.copyOf(values);
    }

    /** Defaults, then {@code settings}, then the {@code WEIR_*} variables of {@code environment}. */
    public static WeirConfig of(Map<String, String> settings, Map<String, String> environment) {
        return of(settings, environment, Map.of());
    }

    /**
     * Defaults, then {@code settings} (a config file), then the {@code WEIR_*} variables of
     * {@code environment}, then {@code overrides} (command-line options): the most specific wins.
     */
    public static WeirConfig of(Map<String, String> settings, Map<String, String> environment, Map<String, String> overrides) {
        Map<String, String> merged = new TreeMap<>(DEFAULTS);
        merged.putAll(settings);
        environment.forEach((name, value) -> {
            if (name.startsWith("WEIR_") && name.length() > 5 && !INTERNAL_ENV.contains(name)) {
                merged.put(name.substring(5).toLowerCase(Locale.ROOT).replace('_', '.'), value);
            }
        });
        merged.putAll(overrides);
        return new WeirConfig(merged);
    }

    /** Reads {@code file} (if not null), applies the process environment, then {@code overrides}. */
    public static WeirConfig load(Path file, Map<String, String> overrides) throws IOException {
        Map<String, String> fromFile = new TreeMap<>();
        if (file != null) {
            Properties properties = new Properties();
            try (Reader reader = Files.newBufferedReader(file)) {
                properties.load(reader);
            }
            properties.stringPropertyNames().forEach(k -> fromFile.put(k, properties.getProperty(k).trim()));
        }
        return of(fromFile, System.getenv(), overrides);
    }

    /** Launcher and tooling variables that are not settings. */
    private static final java.util.Set<String> INTERNAL_ENV =
            java.util.Set.of("WEIR_JAVA_HOME", "WEIR_JVM_OPTS", "WEIR_LOG_LEVEL", "WEIR_KAFKA_LOG_LEVEL", "WEIR_APICURIO_DIR",
                    "WEIR_OPENCL_DEVICE", "WEIR_HOME", "WEIR_BENCH_ARGS", "WEIR_VERBOSE");

    public WeirConfig with(String key, String value) {
        Map<String, String> copy = new TreeMap<>(values);
        copy.put(key, value);
        return new WeirConfig(copy);
    }

    public String get(String key) {
        String value = values.get(key);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("missing setting '" + key + "' (set it in the config file or as WEIR_"
                    + key.toUpperCase(Locale.ROOT).replace('.', '_') + ")");
        }
        return value;
    }

    public String get(String key, String fallback) {
        String value = values.get(key);
        return value == null || value.isBlank() ? fallback : value;
    }

    public double getDouble(String key) {
        String value = get(key);
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("setting '" + key + "' must be a number: " + value, e);
        }
    }

    public int getInt(String key) {
        String value = get(key);
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("setting '" + key + "' must be an integer: " + value, e);
        }
    }

    public long getLong(String key) {
        String value = get(key);
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("setting '" + key + "' must be an integer: " + value, e);
        }
    }

    /**
     * {@value #STREAM_IDLE_TIMEOUT_MS}: how long, in record time, a stream may send nothing before the
     * processors delete its state; {@link Duration#ZERO} keeps every stream's state forever.
     *
     * @throws IllegalArgumentException when the setting is not a whole number of milliseconds, 0 or more
     */
    /** The device memory limits of {@link #DEVICE_STREAM_BYTES} and {@link #DEVICE_TOTAL_BYTES}. */
    public DeviceLimits deviceLimits() {
        try {
            return new DeviceLimits(getLong(DEVICE_STREAM_BYTES), getLong(DEVICE_TOTAL_BYTES));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(DEVICE_STREAM_BYTES + " / " + DEVICE_TOTAL_BYTES + ": " + e.getMessage(), e);
        }
    }

    public Duration streamIdleTimeout() {
        long ms = getLong(STREAM_IDLE_TIMEOUT_MS);
        if (ms < 0) {
            throw new IllegalArgumentException("setting '" + STREAM_IDLE_TIMEOUT_MS + "' must be 0 (keep idle streams forever) or a positive number of milliseconds: " + ms);
        }
        return Duration.ofMillis(ms);
    }

    /**
     * The static membership id the operator gave ({@value #INSTANCE_ID}); empty for {@code auto} (resolved by
     * the application at start, see {@code InstanceId}) and {@code none}.
     */
    public java.util.Optional<String> instanceId() {
        String id = get(INSTANCE_ID, "none");
        return id.equals("auto") || id.equals("none") ? java.util.Optional.empty() : java.util.Optional.of(id);
    }

    /** The largest dead-letter record; {@value #MAX_EVENT_BYTES} until the start-up check has read the topic's limit. */
    public int deadLetterMaxBytes() {
        return values.containsKey(DEAD_LETTER_MAX_BYTES) ? getInt(DEAD_LETTER_MAX_BYTES) : getInt(MAX_EVENT_BYTES);
    }

    /** {@value #STARTUP_TIMEOUT_MS}: how long start-up checks wait for the brokers. */
    public Duration startupTimeout() {
        long ms = getLong(STARTUP_TIMEOUT_MS);
        if (ms <= 0) {
            throw new IllegalArgumentException("setting '" + STARTUP_TIMEOUT_MS + "' must be a positive number of milliseconds: " + ms);
        }
        return Duration.ofMillis(ms);
    }

    /** The topics of the enabled modalities and the dead letters. */
    public TopicNames topics() {
        Map<String, ModalityTopicNames> modalities = new java.util.LinkedHashMap<>();
        for (Modality<?, ?, ?, ?> modality : Modalities.enabled(this)) {
            modalities.put(modality.name(), topics(modality));
        }
        return new TopicNames(modalities, get(TOPIC_DEAD_LETTERS));
    }

    /**
     * The topics of {@code modality}: {@code weir.topic.NAME.INPUT}, {@code .tokens} and {@code .decoded},
     * by default {@code weir.NAME.INPUT}, {@code weir.NAME.tokens} and {@code weir.NAME.decoded}.
     */
    public ModalityTopicNames topics(Modality<?, ?, ?, ?> modality) {
        String name = modality.name();
        return new ModalityTopicNames(topic(name, modality.input()), topic(name, "tokens"), topic(name, "decoded"));
    }

    private String topic(String modality, String role) {
        return get(TOPIC_PREFIX + modality + "." + role, "weir." + modality + "." + role);
    }

    /** A setting as an integer, or {@code fallback} when it is not set. */
    public int getInt(String key, int fallback) {
        return values.get(key) == null || values.get(key).isBlank() ? fallback : getInt(key);
    }

    /** A setting as a number, or {@code fallback} when it is not set. */
    public double getDouble(String key, double fallback) {
        return values.get(key) == null || values.get(key).isBlank() ? fallback : getDouble(key);
    }

    /** Settings for the schema-registry serdes: the registry URL and every schema.registry, auth and serde key. */
    public Map<String, Object> serdeConfig() {
        Map<String, Object> serde = new TreeMap<>();
        values.forEach((k, v) -> {
            if (k.startsWith("schema.registry.") || k.startsWith("basic.auth.") || k.startsWith("bearer.auth.")
                    || AvroSerdeConfig.CONFIG_DEF.names().contains(k)) {
                serde.put(k, v);
            }
        });
        return serde;
    }

    /**
     * Settings for a plain Kafka client (admin, producer, consumer) of the given config names: the
     * connection and security settings of the config file and environment, without Streams' own keys.
     */
    public Map<String, Object> clientConfig(java.util.Set<String> clientConfigNames) {
        Map<String, Object> client = new TreeMap<>();
        streamsProperties().forEach((k, v) -> {
            if (clientConfigNames.contains((String) k)) {
                client.put((String) k, v);
            }
        });
        return client;
    }

    /** Settings for Kafka Streams and its clients: everything that is not Weir's own. */
    public Properties streamsProperties() {
        Properties properties = new Properties();
        Map<String, Object> serde = serdeConfig();
        values.forEach((k, v) -> {
            if (!k.startsWith("weir.") && !serde.containsKey(k)) {
                properties.put(k, v);
            }
        });
        return properties;
    }

    /** Every setting as given, secrets included: never print it (see {@link #toString()}). */
    public Map<String, String> asMap() {
        return values;
    }

    /** The settings with every secret {@value Secrets#HIDDEN} ({@link Secrets}): safe for a log line. */
    @Override
    public String toString() {
        return "WeirConfig" + Secrets.redacted(values);
    }
}
