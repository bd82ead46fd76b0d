package dev.weir.topology.video;

import dev.weir.avro.DecodedFrame;
import dev.weir.avro.TokenBatch;
import dev.weir.avro.VideoFrame;
import dev.weir.avro.VideoGeometry;
import dev.weir.codec.MediaFormatException;
import dev.weir.codec.MediaTooLargeException;
import dev.weir.codec.StreamDecoder;
import dev.weir.codec.StreamEncoder;
import dev.weir.codec.TokenizerRef;
import dev.weir.codec.compress.Budget;
import dev.weir.codec.compress.Cacher;
import dev.weir.codec.video.CompressionConfig;
import dev.weir.codec.video.FrameGeometry;
import dev.weir.codec.video.PixelFormat;
import dev.weir.codec.video.PixelFormatDecoder;
import dev.weir.codec.video.RgbFrame;
import dev.weir.codec.video.VideoCodebook;
import dev.weir.codec.video.VideoDecoder;
import dev.weir.codec.video.VideoEncoder;
import dev.weir.kernels.DeviceUse;
import dev.weir.kernels.Kernels;
import dev.weir.kernels.VideoKernels;
import dev.weir.topology.WeirConfig;
import dev.weir.topology.modality.Modality;
import dev.weir.topology.modality.ModalityDescriptor;
import dev.weir.topology.modality.ModalityCodec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Video as a modality: {@code VideoFrame} events (RGB24, GRAY8, I420, JPEG, PNG) in, patch tokens
 * ({@link VideoEncoder}) compressed by the cacher, keyframes and pruner, {@code DecodedFrame} (RGB24) out. Its
 * settings are the {@code weir.video.*} keys below.
 */
public final class VideoModality implements Modality<VideoFrame, RgbFrame, FrameGeometry, DecodedFrame> {

    public static final String NAME = "video";
    private static final ModalityDescriptor<VideoFrame, DecodedFrame> DESCRIPTOR =
            new ModalityDescriptor<>(NAME, dev.weir.avro.Modality.VIDEO, "frames", "frames", VideoFrame.class, DecodedFrame.class);

    public static final String TOPIC_FRAMES = "weir.topic.video.frames";
    public static final String TOPIC_TOKENS = "weir.topic.video.tokens";
    public static final String TOPIC_DECODED = "weir.topic.video.decoded";
    public static final String PATCH_SIZE = "weir.video.patch.size";
    public static final String CODEBOOK = "weir.video.codebook";
    public static final String COMPRESSION = "weir.video.compression";
    public static final String CACHE = "weir.video.cache";
    public static final String KEYFRAME_INTERVAL = "weir.video.keyframe.interval";
    public static final String SCENE_CHANGE = "weir.video.scene.change";
    public static final String BUDGET = "weir.video.budget";
    public static final String FPS = "weir.video.fps";
    public static final String BANK_SECONDS = "weir.video.bank.seconds";
    public static final String ALPHA = "weir.video.alpha";

    /** Room for the Avro and record framing around a decoded frame's pixels. */
    static final int OUTPUT_OVERHEAD_BYTES = 64 * 1024;

    private final Function<WeirConfig, VideoKernels> kernels;

    /**
     * Video on the kernel backend of {@code weir.kernels.backend}, with the device memory limits of
     * {@code weir.kernels.device.stream.bytes} and {@code weir.kernels.device.total.bytes}.
     */
    public VideoModality() {
        this(config -> Kernels.video(config.get(WeirConfig.KERNEL_BACKEND), config.deviceLimits()));
    }

    /** Video on the kernels {@code kernels} opens for each processor (tests bring their own). */
    public VideoModality(Function<WeirConfig, VideoKernels> kernels) {
        this.kernels = Objects.requireNonNull(kernels, "kernels");
    }

    @Override
    public ModalityDescriptor<VideoFrame, DecodedFrame> descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public String streamId(VideoFrame event) {
        return event.getStreamId();
    }

    @Override
    public long seq(VideoFrame event) {
        return event.getSeq();
    }

    @Override
    public java.time.Instant timestamp(VideoFrame event) {
        return event.getTimestamp();
    }

    /** The picture, decoded; a frame whose RGB would not fit a record is refused before it is decoded. */
    @Override
    public RgbFrame media(VideoFrame frame, int maxEventBytes) {
        long decodedBytes = 3L * Math.max(0, frame.getWidth()) * Math.max(0, frame.getHeight());
        if (decodedBytes + OUTPUT_OVERHEAD_BYTES > maxEventBytes) {
            throw new MediaTooLargeException(frame.getWidth() + "x" + frame.getHeight() + " would decode to " + decodedBytes
                    + " bytes of RGB, above weir.max.event.bytes = " + maxEventBytes + " (the decoded frame must fit a record)");
        }
        try {
            return PixelFormatDecoder.decode(PixelFormat.valueOf(frame.getFormat().name()), frame.getWidth(), frame.getHeight(),
                    frame.getData());
        } catch (MediaFormatException | IllegalArgumentException e) {
            throw e instanceof MediaFormatException m ? m : new MediaFormatException(e.getMessage(), e);
        } catch (RuntimeException e) {
            // image decoders can fail on crafted input with unchecked exceptions of their own
            throw new MediaFormatException("cannot decode the " + frame.getFormat() + " picture: " + e, e);
        }
    }

    @Override
    public void check(WeirConfig config) {
        compression(config);
        codebook(config);
        config.deviceLimits();
    }

    @Override
    public ModalityCodec<RgbFrame, FrameGeometry> open(WeirConfig config) {
        return new Codec(codebook(config), compression(config), kernels.apply(config));
    }

    @Override
    public Object layoutToAvro(FrameGeometry geometry) {
        return new VideoGeometry(geometry.width(), geometry.height(), geometry.patch());
    }

    @Override
    public FrameGeometry layoutFromAvro(Object layout) {
        if (!(layout instanceof VideoGeometry g)) {
            throw new MediaFormatException("token batch carries " + (layout == null ? "no layout" : "a " + layout.getClass().getSimpleName())
                    + ": the video decoder needs a VideoGeometry");
        }
        try {
            return new FrameGeometry(g.getWidth(), g.getHeight(), g.getPatchSize());
        } catch (IllegalArgumentException e) {
            throw new MediaFormatException("token batch geometry is invalid: " + e.getMessage(), e);
        }
    }

    /** The frame's RGB and room for its record's framing. */
    @Override
    public long decodedBytes(FrameGeometry geometry) {
        return 3L * geometry.width() * geometry.height() + OUTPUT_OVERHEAD_BYTES;
    }

    @Override
    public DecodedFrame decoded(TokenBatch batch, RgbFrame frame) {
        return DecodedFrame.newBuilder()
                .setStreamId(batch.getStreamId())
                .setSeq(batch.getSeq())
                .setTimestamp(batch.getTimestamp())
                .setWidth(frame.width())
                .setHeight(frame.height())
                .setFormat(dev.weir.avro.PixelFormat.RGB24)
                .setData(ByteBuffer.wrap(frame.rgb()))
                .setTokenizer(batch.getTokenizer())
                .build();
    }

    /**
     * The video compression from {@code weir.video.*}: {@code compression} {@code on} (the tuned defaults,
     * see docs/compression.md) or {@code off} (every frame a keyframe), then any of {@code cache}
     * ({@code threshold:MSE}, {@code update-ratio:R}, {@code off}), {@code keyframe.interval},
     * {@code scene.change}, {@code budget} ({@code ratio:R}, {@code tokens:N}, {@code rate:T} with
     * {@code fps} and {@code bank.seconds}, {@code unlimited}) and {@code alpha}.
     */
    public static CompressionConfig compression(WeirConfig config) {
        String mode = config.get(COMPRESSION, "on");
        if (mode.equals("off")) {
            return CompressionConfig.none();
        }
        if (!mode.equals("on")) {
            throw new IllegalArgumentException(COMPRESSION + " must be on or off, not " + mode);
        }
        CompressionConfig c = CompressionConfig.defaults();
        String cache = config.get(CACHE, null);
        if (cache != null) {
            c = c.withCache(Cacher.parse(cache));
        }
        String budget = config.get(BUDGET, null);
        if (budget != null) {
            c = c.withBudget(Budget.parse(budget, config.getDouble(FPS, 15), config.getDouble(BANK_SECONDS, 2)));
        }
        if (config.get(KEYFRAME_INTERVAL, null) != null) {
            c = c.withKeyframeInterval(config.getInt(KEYFRAME_INTERVAL));
        }
        if (config.get(SCENE_CHANGE, null) != null) {
            c = c.withSceneChangeShare(config.getDouble(SCENE_CHANGE));
        }
        if (config.get(ALPHA, null) != null) {
            c = c.withAlpha(config.getDouble(ALPHA));
        }
        return c;
    }

    /** The codebook named by {@code weir.video.codebook}: {@code default} (built in) or a file path. */
    public static VideoCodebook codebook(WeirConfig config) {
        String name = config.get(CODEBOOK, "default");
        int patch = config.getInt(PATCH_SIZE, 16);
        if (name.equals("default")) {
            return VideoCodebook.defaultFor(patch);
        }
        try {
            VideoCodebook codebook = VideoCodebook.read(Path.of(name));
            if (codebook.patchSize() != patch) {
                throw new IllegalArgumentException("codebook " + name + " is for patch size " + codebook.patchSize()
                        + " but " + PATCH_SIZE + " is " + patch);
            }
            return codebook;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read codebook " + name, e);
        }
    }

    /** One processor's video codec: the codebook, the compression and the processor's kernels. */
    private record Codec(VideoCodebook codebook, CompressionConfig compression, VideoKernels kernels)
            implements ModalityCodec<RgbFrame, FrameGeometry> {

        @Override
        public TokenizerRef tokenizer() {
            return codebook.tokenizerRef();
        }

        @Override
        public String backend() {
            return kernels.backend();
        }

        /** The accelerator's use by this processor's streams: on the device now, and fallen back to jvm. */
        @Override
        public Map<String, Long> gauges() {
            DeviceUse use = kernels.deviceUse();
            return Map.of("device-streams", (long) use.streams(), "device-bytes", use.bytes(),
                    "device-fallbacks", use.fallbacks());
        }

        @Override
        public StreamEncoder<RgbFrame, FrameGeometry> newEncoder() {
            return VideoEncoder.create(codebook, kernels, compression);
        }

        @Override
        public StreamDecoder<FrameGeometry, RgbFrame> newDecoder() {
            return VideoDecoder.create(codebook, kernels);
        }

        @Override
        public void close() {
            kernels.close();
        }
    }
}
