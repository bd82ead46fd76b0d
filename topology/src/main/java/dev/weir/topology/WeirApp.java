package dev.weir.topology;

import dev.weir.kernels.KernelUnavailableException;
import dev.weir.kernels.Kernels;
import dev.weir.serdes.RestSchemaRegistryClient;
import dev.weir.serdes.SchemaBootstrap;
import dev.weir.serdes.SchemaRegistryClient;
import dev.weir.serdes.SchemaRegistryException;
import dev.weir.serdes.SubjectSchema;
import dev.weir.topology.internals.DeadLetterSafeProductionHandler;
import dev.weir.topology.modality.Modality;
import dev.weir.topology.ops.Operations;
import dev.weir.topology.ops.OpsSettings;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A running Weir application: checks the cluster, registers the schemas (BACKWARD compatibility), builds
 * the topology and runs it on Kafka Streams with exactly-once processing.
 *
 * <p>Start-up problems (brokers or registry unreachable, a topic missing or too small, a kernel backend
 * absent) are a {@link WeirStartupException} with a one-line message before anything runs. Once running,
 * the application owns the Kafka Streams state listener: {@link #terminated()} completes when Kafka
 * Streams stops for good, whether it was closed or failed.
 *
 * <p>Its {@link #operations()} are its health, readiness and metrics, served over HTTP when
 * {@code weir.http.port} is set (docs/operations.md).
 */
public final class WeirApp implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WeirApp.class);

    /** How long {@link #close()} waits for the stream threads to finish and commit. */
    public static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private final SchemaRegistryClient registry;
    private final KafkaStreams streams;
    private final Operations operations;
    private final CompletableFuture<KafkaStreams.State> terminated = new CompletableFuture<>();
    private final CompletableFuture<Void> running = new CompletableFuture<>();

    private WeirApp(SchemaRegistryClient registry, KafkaStreams streams, Operations operations) {
        this.registry = registry;
        this.streams = streams;
        this.operations = operations;
    }

    /**
     * Checks the cluster, registers schemas, builds and starts the topology; returns once Kafka Streams is
     * starting.
     *
     * @throws WeirStartupException when Weir cannot start against this cluster with this configuration
     */
    public static WeirApp start(WeirConfig config) {
        OpsSettings opsSettings = OpsSettings.of(config);
        requireKernels(config);
        config = StaticMembership.resolve(withClusterLimits(config));
        SchemaRegistryClient registry = new RestSchemaRegistryClient(config.serdeConfig());
        try {
            registerSchemasAtStart(registry, config);
            Topology topology = WeirTopology.build(config, registry);
            log.debug("Weir topology:\n{}", topology.describe());
            KafkaStreams streams = new KafkaStreams(topology, streamsProperties(config));
            Operations operations = startOperations(opsSettings, streams, config);
            WeirApp app = new WeirApp(registry, streams, operations);
            app.streams.setStateListener(app::onStateChange);
            app.streams.setUncaughtExceptionHandler(new BoundedReplacement(MAX_THREAD_REPLACEMENTS));
            try {
                app.streams.start();
            } catch (RuntimeException e) {
                operations.close();
                streams.close(Duration.ZERO);
                throw e;
            }
            return app;
        } catch (RuntimeException e) {
            registry.close();
            throw e;
        }
    }

    /** Metrics and, when asked for, the HTTP server, before the stream threads start; closes {@code streams} when they cannot start. */
    private static Operations startOperations(OpsSettings settings, KafkaStreams streams, WeirConfig config) {
        try {
            return Operations.start(settings, streams, Modalities.enabled(config), config.get(WeirConfig.APPLICATION_ID));
        } catch (RuntimeException e) {
            streams.close(Duration.ZERO);
            throw e;
        }
    }

    /** Fails fast on a kernel backend that cannot open, rather than in every stream thread's task init. */
    private static void requireKernels(WeirConfig config) {
        try {
            Kernels.video(config.get(WeirConfig.KERNEL_BACKEND)).close();
        } catch (KernelUnavailableException | IllegalArgumentException e) {
            throw new WeirStartupException(WeirConfig.KERNEL_BACKEND + "=" + config.get(WeirConfig.KERNEL_BACKEND) + ": " + e.getMessage(), e);
        }
    }

    /**
     * Checks that the brokers answer and every topic exists and takes Weir's records, and returns the config
     * with the largest dead letter the dead-letter topic and the producer accept.
     */
    private static WeirConfig withClusterLimits(WeirConfig config) {
        TopicNames topics = config.topics();
        int maxEventBytes = config.getInt(WeirConfig.MAX_EVENT_BYTES);
        Map<String, Integer> limits = ClusterCheck.maxMessageBytes(config, topics.all(), config.startupTimeout());
        ClusterCheck.requireRoomForEvents(limits, topics.outputs(), maxEventBytes);
        int producerLimit = requestBytes(maxEventBytes);
        int deadLetterLimit = Math.min(producerLimit, limits.getOrDefault(topics.deadLetters(), Integer.MAX_VALUE));
        return config.with(WeirConfig.DEAD_LETTER_MAX_BYTES, Integer.toString(deadLetterLimit));
    }

    private static void registerSchemasAtStart(SchemaRegistryClient registry, WeirConfig config) {
        try {
            registerSchemas(registry, config, Modalities.enabled(config));
        } catch (SchemaRegistryException e) {
            throw new WeirStartupException("cannot register Weir's schemas at " + Secrets.withoutUserInfo(config.get(WeirConfig.SCHEMA_REGISTRY_URL, "?"))
                    + ": " + e.getMessage(), e);
        }
    }

    private void onStateChange(KafkaStreams.State now, KafkaStreams.State before) {
        log.info("Kafka Streams {} -> {}", before, now);
        if (now == KafkaStreams.State.RUNNING) {
            running.complete(null);
        }
        if (now == KafkaStreams.State.NOT_RUNNING || now == KafkaStreams.State.ERROR) {
            terminated.complete(now);
        }
    }

    /** Stream threads replaced after a failure before the client shuts down instead (see BoundedReplacement). */
    static final int MAX_THREAD_REPLACEMENTS = 3;

    /**
     * Replaces a failed stream thread (a transient fault: broker, registry or device outage) a few times,
     * then shuts the client down, so a fault that repeats on every retry ends in a stopped application an
     * operator sees, not an endless loop.
     */
    static final class BoundedReplacement implements StreamsUncaughtExceptionHandler {
        private final int limit;
        private final AtomicInteger failures = new AtomicInteger();

        BoundedReplacement(int limit) {
            this.limit = limit;
        }

        @Override
        public StreamThreadExceptionResponse handle(Throwable e) {
            int n = failures.incrementAndGet();
            if (n <= limit) {
                log.error("stream thread failed ({} of {} replacements); replacing it", n, limit, e);
                return StreamThreadExceptionResponse.REPLACE_THREAD;
            }
            log.error("stream thread failed again after {} replacements; shutting this client down", limit, e);
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        }
    }

    /**
     * Registers every schema {@code modalities} write or read under its topic subject, with BACKWARD
     * compatibility: each modality's own ({@link Modality#schemas}).
     */
    public static void registerSchemas(SchemaRegistryClient registry, WeirConfig config, List<? extends Modality<?, ?, ?, ?>> modalities) {
        List<SubjectSchema> subjects = new java.util.ArrayList<>();
        for (Modality<?, ?, ?, ?> modality : modalities) {
            subjects.addAll(modality.schemas(config.topics(modality)));
        }
        new SchemaBootstrap(registry).run(subjects);
    }

    /** Kafka Streams settings: the user's, on top of what Weir needs (exactly-once, room for video, fast fail-over). */
    public static Properties streamsProperties(WeirConfig config) {
        int maxBytes = config.getInt(WeirConfig.MAX_EVENT_BYTES);
        String requestBytes = Integer.toString(requestBytes(maxBytes));
        Properties properties = new Properties();
        properties.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        // Weir has no global stores; opting in matches 5.0's default. Kafka 4.3's assignor also builds a
        // StreamsConfig from the main consumer's settings and warns when the key is missing there, so it goes
        // to the main consumer as well.
        properties.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        properties.put(StreamsConfig.mainConsumerPrefix(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG), true);
        properties.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, config.get(WeirConfig.TOPIC_REPLICATION));
        properties.put(StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG), requestBytes);
        properties.put(StreamsConfig.producerPrefix(ProducerConfig.BUFFER_MEMORY_CONFIG), Long.toString(bufferBytes(maxBytes)));
        properties.put(StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_TYPE_CONFIG), "lz4");
        properties.put(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG), requestBytes);
        properties.put(StreamsConfig.consumerPrefix(ConsumerConfig.FETCH_MAX_BYTES_CONFIG), requestBytes);
        // Fail-over (docs/topology.md, "Restarts and fail-over"): a crashed instance's partitions move after
        // the session timeout; a restarted one with the same instance id takes them back at once.
        properties.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), WeirConfig.DEFAULT_SESSION_TIMEOUT_MS);
        properties.put(StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG), WeirConfig.DEFAULT_HEARTBEAT_INTERVAL_MS);
        config.instanceId().ifPresent(id -> properties.put(StreamsConfig.consumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG), id));
        // Changelogs hold per-stream codec state (a decoder holds a whole frame).
        properties.put(StreamsConfig.topicPrefix(TopicConfig.MAX_MESSAGE_BYTES_CONFIG), Integer.toString(maxBytes));
        properties.put(StreamsConfig.DEFAULT_PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterSafeProductionHandler.class.getName());
        properties.put(DeadLetterSafeProductionHandler.DEAD_LETTER_TOPIC_CONFIG, config.topics().deadLetters());
        properties.putAll(config.streamsProperties());
        return properties;
    }

    /** Largest produce request: the largest event plus room for batch and header overhead. */
    static int requestBytes(int maxEventBytes) {
        return (int) Math.min(Integer.MAX_VALUE, maxEventBytes + 1024L * 1024);
    }

    /** Producer buffer for records up to {@code maxEventBytes}: room for two in flight, never below the 32 MiB default. */
    public static long bufferBytes(int maxEventBytes) {
        return Math.max(32L * 1024 * 1024, 2L * (maxEventBytes + 1024 * 1024));
    }

    public KafkaStreams streams() {
        return streams;
    }

    public SchemaRegistryClient registry() {
        return registry;
    }

    /** Health, readiness, metrics and the HTTP server that serves them (when {@code weir.http.port} is set). */
    public Operations operations() {
        return operations;
    }

    /** Completes the first time Kafka Streams is RUNNING (all tasks assigned and restored). */
    public CompletableFuture<Void> running() {
        return running;
    }

    /** Completes with the final state ({@code NOT_RUNNING} after a close, {@code ERROR} after a failure) when Kafka Streams stops. */
    public CompletableFuture<KafkaStreams.State> terminated() {
        return terminated;
    }

    /** Waits until Kafka Streams is RUNNING, or throws after {@code timeout}. */
    public void awaitRunning(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (streams.state() != KafkaStreams.State.RUNNING) {
            if (System.nanoTime() > deadline || !streams.state().isRunningOrRebalancing() && streams.state() != KafkaStreams.State.CREATED) {
                throw new IllegalStateException("Kafka Streams is " + streams.state() + " after " + timeout.toSeconds() + " s");
            }
            Thread.sleep(50);
        }
    }

    /**
     * Stops processing, commits, and leaves the consumer group (a static member is removed from it), so that
     * the other instances take this one's partitions at once rather than after the session timeout. Readiness
     * goes false first; the HTTP server answers until the stream threads are done, then stops.
     */
    @Override
    public void close() {
        operations.shuttingDown();
        try {
            streams.close(CloseOptions.timeout(CLOSE_TIMEOUT).withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
        } finally {
            operations.close();
            registry.close();
        }
    }
}
