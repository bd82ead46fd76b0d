package dev.weir.topology;

import dev.weir.avro.DecodedFrame;
import dev.weir.avro.TokenBatch;
import dev.weir.avro.VideoFrame;
import dev.weir.codec.video.CompressionConfig;
import dev.weir.codec.video.VideoCodebook;
import dev.weir.kernels.Kernels;
import dev.weir.kernels.VideoKernels;
import dev.weir.serdes.ConfluentAvroSerde;
import dev.weir.serdes.SchemaRegistryClient;
import dev.weir.topology.internals.IdleStreamExpiry;
import dev.weir.topology.internals.VideoDecoderProcessor;
import dev.weir.topology.internals.VideoTokenizerProcessor;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyConfig;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Weir's processing graph, two sub-topologies per modality:
 * <pre>
 *   video frames ─► video-tokenizer ─► video tokens ─► video-decoder ─► decoded frames
 *                         └─► dead letters                 └─► dead letters
 * </pre>
 * The decoder reads the token topic, not the tokenizer's memory: it sees exactly what a downstream
 * consumer sees. All records are keyed by stream id; per-stream state lives in changelogged stores, and
 * the state of a stream idle for longer than {@code weir.stream.idle.timeout.ms} is deleted.
 */
public final class WeirTopology {

    public static final String VIDEO_FRAMES_SOURCE = "video-frames-source";
    public static final String VIDEO_TOKENIZER = "video-tokenizer";
    public static final String VIDEO_TOKENS_SINK = "video-tokens-sink";
    public static final String VIDEO_TOKENIZER_DEAD_LETTERS = "video-tokenizer-dead-letters-sink";
    public static final String VIDEO_TOKENS_SOURCE = "video-tokens-source";
    public static final String VIDEO_DECODER = "video-decoder";
    public static final String VIDEO_DECODED_SINK = "video-decoded-sink";
    public static final String VIDEO_DECODER_DEAD_LETTERS = "video-decoder-dead-letters-sink";

    /** Changelogged store: stream id → video encoder snapshot (the cacher's reference and tokens). */
    public static final String VIDEO_ENCODER_STORE = "weir-video-encoder";
    /** Changelogged store: stream id → video decoder snapshot (the frame a consumer holds). */
    public static final String VIDEO_DECODER_STORE = "weir-video-decoder";
    /** Changelogged store: stream id → timestamp of the last frame tokenized, for {@code weir.stream.idle.timeout.ms}. */
    public static final String VIDEO_ENCODER_LAST_SEEN_STORE = IdleStreamExpiry.lastSeenStoreName(VIDEO_ENCODER_STORE);
    /** Changelogged store: stream id → timestamp of the last batch decoded, for {@code weir.stream.idle.timeout.ms}. */
    public static final String VIDEO_DECODER_LAST_SEEN_STORE = IdleStreamExpiry.lastSeenStoreName(VIDEO_DECODER_STORE);

    private WeirTopology() {
    }

    /** Builds the topology for {@code config}, with serdes backed by {@code registry}. */
    public static Topology build(WeirConfig config, SchemaRegistryClient registry) {
        String backend = config.get(WeirConfig.KERNEL_BACKEND);
        return build(config, registry, () -> Kernels.video(backend));
    }

    /** As {@link #build(WeirConfig, SchemaRegistryClient)}, with each processor's kernels from {@code kernels}. */
    static Topology build(WeirConfig config, SchemaRegistryClient registry, Supplier<VideoKernels> kernels) {
        TopicNames topics = config.topics();
        int maxEventBytes = config.getInt(WeirConfig.MAX_EVENT_BYTES);
        int deadLetterMaxBytes = config.deadLetterMaxBytes();
        VideoCodebook codebook = videoCodebook(config);
        CompressionConfig compression = videoCompression(config);
        Duration idleTimeout = config.streamIdleTimeout();

        ConfluentAvroSerde<VideoFrame> frames = ConfluentAvroSerde.forValue(registry, VideoFrame.class);
        ConfluentAvroSerde<TokenBatch> tokens = ConfluentAvroSerde.forValue(registry, TokenBatch.class);
        ConfluentAvroSerde<DecodedFrame> decoded = ConfluentAvroSerde.forValue(registry, DecodedFrame.class);
        Map<String, Object> serdeConfig = config.serdeConfig();
        if (serdeConfig.containsKey(WeirConfig.SCHEMA_REGISTRY_URL)) {
            // the client is given; configure passes the serde settings (subject strategy, auto-register, ...)
            for (ConfluentAvroSerde<?> serde : List.of(frames, tokens, decoded)) {
                serde.configure(serdeConfig, false);
            }
        }

        Topology topology = new Topology(new TopologyConfig(new StreamsConfig(WeirApp.streamsProperties(config))));
        topology.addSource(VIDEO_FRAMES_SOURCE, new ByteArrayDeserializer(), new ByteArrayDeserializer(), topics.videoFrames());
        topology.addProcessor(VIDEO_TOKENIZER, () -> new VideoTokenizerProcessor(VIDEO_TOKENIZER, VIDEO_ENCODER_STORE, idleTimeout,
                VIDEO_TOKENS_SINK, VIDEO_TOKENIZER_DEAD_LETTERS, frames.deserializer(), maxEventBytes, deadLetterMaxBytes, codebook, compression, kernels),
                VIDEO_FRAMES_SOURCE);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(VIDEO_ENCODER_STORE),
                Serdes.String(), Serdes.ByteArray()), VIDEO_TOKENIZER);
        topology.addStateStore(lastSeenStore(VIDEO_ENCODER_LAST_SEEN_STORE), VIDEO_TOKENIZER);
        topology.addSink(VIDEO_TOKENS_SINK, topics.videoTokens(), new StringSerializer(), tokens.serializer(), VIDEO_TOKENIZER);
        topology.addSink(VIDEO_TOKENIZER_DEAD_LETTERS, topics.deadLetters(), new ByteArraySerializer(), new ByteArraySerializer(), VIDEO_TOKENIZER);

        topology.addSource(VIDEO_TOKENS_SOURCE, new ByteArrayDeserializer(), new ByteArrayDeserializer(), topics.videoTokens());
        topology.addProcessor(VIDEO_DECODER, () -> new VideoDecoderProcessor(VIDEO_DECODER, VIDEO_DECODER_STORE, idleTimeout,
                VIDEO_DECODED_SINK, VIDEO_DECODER_DEAD_LETTERS, tokens.deserializer(), maxEventBytes, deadLetterMaxBytes, codebook, kernels),
                VIDEO_TOKENS_SOURCE);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(VIDEO_DECODER_STORE),
                Serdes.String(), Serdes.ByteArray()), VIDEO_DECODER);
        topology.addStateStore(lastSeenStore(VIDEO_DECODER_LAST_SEEN_STORE), VIDEO_DECODER);
        topology.addSink(VIDEO_DECODED_SINK, topics.videoDecoded(), new StringSerializer(), decoded.serializer(), VIDEO_DECODER);
        topology.addSink(VIDEO_DECODER_DEAD_LETTERS, topics.deadLetters(), new ByteArraySerializer(), new ByteArraySerializer(), VIDEO_DECODER);
        return topology;
    }

    /** Changelogged store: stream id → timestamp of its last record, for the idle timeout. */
    private static StoreBuilder<KeyValueStore<String, Long>> lastSeenStore(String name) {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), Serdes.String(), Serdes.Long());
    }

    /**
     * The video compression from {@code weir.video.*}: {@code compression} {@code on} (the tuned defaults,
     * see docs/compression.md) or {@code off} (every frame a keyframe), then any of {@code cache}
     * ({@code threshold:MSE}, {@code update-ratio:R}, {@code off}), {@code keyframe.interval},
     * {@code scene.change}, {@code budget} ({@code ratio:R}, {@code tokens:N}, {@code rate:T} with
     * {@code fps} and {@code bank.seconds}, {@code unlimited}) and {@code alpha}.
     */
    public static CompressionConfig videoCompression(WeirConfig config) {
        String mode = config.get(WeirConfig.VIDEO_COMPRESSION);
        if (mode.equals("off")) {
            return CompressionConfig.none();
        }
        if (!mode.equals("on")) {
            throw new IllegalArgumentException(WeirConfig.VIDEO_COMPRESSION + " must be on or off, not " + mode);
        }
        CompressionConfig c = CompressionConfig.defaults();
        String cache = config.get(WeirConfig.VIDEO_CACHE, null);
        if (cache != null) {
            c = c.withCache(CompressionConfig.Cache.parse(cache));
        }
        String budget = config.get(WeirConfig.VIDEO_BUDGET, null);
        if (budget != null) {
            c = c.withBudget(CompressionConfig.Budget.parse(budget, config.getDouble(WeirConfig.VIDEO_FPS),
                    config.getDouble(WeirConfig.VIDEO_BANK_SECONDS)));
        }
        if (config.get(WeirConfig.VIDEO_KEYFRAME_INTERVAL, null) != null) {
            c = c.withKeyframeInterval(config.getInt(WeirConfig.VIDEO_KEYFRAME_INTERVAL));
        }
        if (config.get(WeirConfig.VIDEO_SCENE_CHANGE, null) != null) {
            c = c.withSceneChangeShare(config.getDouble(WeirConfig.VIDEO_SCENE_CHANGE));
        }
        if (config.get(WeirConfig.VIDEO_ALPHA, null) != null) {
            c = c.withAlpha(config.getDouble(WeirConfig.VIDEO_ALPHA));
        }
        return c;
    }

    /** The codebook named by {@code weir.video.codebook}: {@code default} (built in) or a file path. */
    public static VideoCodebook videoCodebook(WeirConfig config) {
        String name = config.get(WeirConfig.VIDEO_CODEBOOK);
        int patch = config.getInt(WeirConfig.VIDEO_PATCH_SIZE);
        if (name.equals("default")) {
            return VideoCodebook.defaultFor(patch);
        }
        try {
            VideoCodebook codebook = VideoCodebook.read(Path.of(name));
            if (codebook.patchSize() != patch) {
                throw new IllegalArgumentException("codebook " + name + " is for patch size " + codebook.patchSize()
                        + " but weir.video.patch.size is " + patch);
            }
            return codebook;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read codebook " + name, e);
        }
    }
}
