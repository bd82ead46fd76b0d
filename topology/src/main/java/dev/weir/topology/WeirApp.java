package dev.weir.topology;

import dev.weir.avro.DecodedFrame;
import dev.weir.avro.TokenBatch;
import dev.weir.avro.VideoFrame;
import dev.weir.kernels.Kernels;
import dev.weir.serdes.RestSchemaRegistryClient;
import dev.weir.serdes.SchemaBootstrap;
import dev.weir.serdes.SchemaRegistryClient;
import dev.weir.serdes.SubjectSchema;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.Topology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Properties;

/**
 * A running Weir application: registers the schemas (BACKWARD compatibility), builds the topology and
 * runs it on Kafka Streams with exactly-once processing.
 */
public final class WeirApp implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WeirApp.class);

    private final SchemaRegistryClient registry;
    private final KafkaStreams streams;

    private WeirApp(SchemaRegistryClient registry, KafkaStreams streams) {
        this.registry = registry;
        this.streams = streams;
    }

    /** Registers schemas, builds and starts the topology; returns once Kafka Streams is starting. */
    public static WeirApp start(WeirConfig config) {
        // Fail fast on a kernel backend that cannot open, rather than in every stream thread's task init.
        Kernels.video(config.get(WeirConfig.KERNEL_BACKEND)).close();
        SchemaRegistryClient registry = new RestSchemaRegistryClient(config.serdeConfig());
        try {
            registerSchemas(registry, config.topics());
            Topology topology = WeirTopology.build(config, registry);
            log.debug("Weir topology:\n{}", topology.describe());
            KafkaStreams streams = new KafkaStreams(topology, streamsProperties(config));
            streams.setUncaughtExceptionHandler(new BoundedReplacement(MAX_THREAD_REPLACEMENTS));
            streams.start();
            return new WeirApp(registry, streams);
        } catch (RuntimeException e) {
            registry.close();
            throw e;
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
        private final java.util.concurrent.atomic.AtomicInteger failures = new java.util.concurrent.atomic.AtomicInteger();

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

    /** Registers every schema Weir writes or reads under its topic subject, with BACKWARD compatibility. */
    public static void registerSchemas(SchemaRegistryClient registry, TopicNames topics) {
        new SchemaBootstrap(registry).run(List.of(
                SubjectSchema.topicValue(topics.videoFrames(), VideoFrame.getClassSchema()),
                SubjectSchema.topicValue(topics.videoTokens(), TokenBatch.getClassSchema()),
                SubjectSchema.topicValue(topics.videoDecoded(), DecodedFrame.getClassSchema())));
    }

    /** Kafka Streams settings: the user's, on top of what Weir needs (exactly-once, room for video). */
    public static Properties streamsProperties(WeirConfig config) {
        int maxBytes = config.getInt(WeirConfig.MAX_EVENT_BYTES);
        // A request holds the record plus batch and header overhead.
        String requestBytes = Integer.toString(maxBytes + 1024 * 1024);
        Properties properties = new Properties();
        properties.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        // Weir has no global stores; opting in now silences Kafka 4.x's start-up warning and matches 5.0's default.
        properties.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        properties.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, config.get(WeirConfig.TOPIC_REPLICATION));
        properties.put(StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG), requestBytes);
        properties.put(StreamsConfig.producerPrefix(ProducerConfig.BUFFER_MEMORY_CONFIG), Long.toString(bufferBytes(maxBytes)));
        properties.put(StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_TYPE_CONFIG), "lz4");
        properties.put(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG), requestBytes);
        properties.put(StreamsConfig.consumerPrefix(ConsumerConfig.FETCH_MAX_BYTES_CONFIG), requestBytes);
        // Changelogs hold per-stream codec state (a decoder holds a whole frame).
        properties.put(StreamsConfig.topicPrefix(TopicConfig.MAX_MESSAGE_BYTES_CONFIG), Integer.toString(maxBytes));
        properties.putAll(config.streamsProperties());
        return properties;
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

    @Override
    public void close() {
        streams.close(Duration.ofSeconds(30));
        registry.close();
    }
}
