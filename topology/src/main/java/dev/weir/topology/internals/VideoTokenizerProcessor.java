package dev.weir.topology.internals;

import dev.weir.avro.Modality;
import dev.weir.avro.TokenBatch;
import dev.weir.avro.VideoFrame;
import dev.weir.codec.MediaFormatException;
import dev.weir.codec.TokenPacket;
import dev.weir.codec.video.CompressionConfig;
import dev.weir.codec.video.PixelFormatDecoder;
import dev.weir.codec.video.RgbFrame;
import dev.weir.codec.video.VideoCodebook;
import dev.weir.codec.video.VideoEncoder;
import dev.weir.kernels.FrameGeometry;
import dev.weir.kernels.VideoKernels;
import dev.weir.topology.DeadLetterReason;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * Video frames in, token batches out: decodes the picture, runs the stream's {@link VideoEncoder}
 * (per-stream state in a changelogged store) and forwards an Avro {@link TokenBatch} keyed by stream id.
 * The state of a stream idle for longer than the idle timeout is deleted ({@link IdleStreamExpiry}); when
 * the stream returns its encoder is fresh, so its first batch is a keyframe.
 */
public final class VideoTokenizerProcessor extends GuardedProcessor<VideoFrame> {

    /** Room for the Avro and record framing around a decoded frame's pixels. */
    static final int OUTPUT_OVERHEAD_BYTES = 64 * 1024;

    private final String storeName;
    private final Duration idleTimeout;
    private final String tokenSink;
    private final VideoCodebook codebook;
    private final CompressionConfig compression;
    private final Supplier<VideoKernels> kernelsFactory;

    private VideoKernels kernels;
    private StreamStates<VideoEncoder> encoders;
    private IdleStreamExpiry expiry;
    private Sensor framesIn;
    private Sensor tokensFull;
    private Sensor tokensEmitted;
    private Sensor positionsReused;
    private Sensor positionsPruned;

    public VideoTokenizerProcessor(String name, String storeName, Duration idleTimeout, String tokenSink, String deadLetterSink,
                                   Deserializer<VideoFrame> deserializer, int maxEventBytes, int deadLetterMaxBytes,
                                   VideoCodebook codebook, CompressionConfig compression,
                                   Supplier<VideoKernels> kernelsFactory) {
        super(name, deadLetterSink, deserializer, maxEventBytes, deadLetterMaxBytes);
        this.storeName = storeName;
        this.idleTimeout = idleTimeout;
        this.tokenSink = tokenSink;
        this.codebook = codebook;
        this.compression = compression;
        this.kernelsFactory = kernelsFactory;
    }

    @Override
    protected void open(ProcessorContext<Object, Object> context, ProcessorMetrics metrics) {
        kernels = kernelsFactory.get();
        encoders = new StreamStates<>(context.getStateStore(storeName), () -> VideoEncoder.create(codebook, kernels, compression));
        expiry = IdleStreamExpiry.start(context, storeName, idleTimeout, encoders::remove, metrics);
        metrics.tag("backend", kernels.backend());
        framesIn = metrics.sum("frames-tokenized", "frames tokenized");
        tokensFull = metrics.sum("tokens-full", "tokens a full tokenization would emit");
        tokensEmitted = metrics.sum("tokens-emitted", "tokens emitted");
        positionsReused = metrics.sum("positions-reused", "positions served from the cache");
        positionsPruned = metrics.sum("positions-pruned", "changed positions pruned to meet the budget");
    }

    @Override
    protected String streamIdOf(VideoFrame event) {
        return event.getStreamId();
    }

    @Override
    protected void handle(String streamId, VideoFrame frame, Record<byte[], byte[]> source) throws BadRecordException {
        long decodedBytes = 3L * Math.max(0, frame.getWidth()) * Math.max(0, frame.getHeight());
        if (decodedBytes + OUTPUT_OVERHEAD_BYTES > maxEventBytes()) {
            throw new BadRecordException(DeadLetterReason.OVERSIZED, frame.getWidth() + "x" + frame.getHeight()
                    + " would decode to " + decodedBytes + " bytes of RGB, above weir.max.event.bytes = " + maxEventBytes()
                    + " (the decoded frame must fit a record)");
        }
        RgbFrame rgb;
        try {
            rgb = PixelFormatDecoder.decode(dev.weir.codec.video.PixelFormat.valueOf(frame.getFormat().name()), frame.getWidth(), frame.getHeight(), frame.getData());
        } catch (MediaFormatException | IllegalArgumentException e) {
            throw new BadRecordException(DeadLetterReason.INVALID_MEDIA, e.getMessage(), e);
        } catch (RuntimeException e) {
            // image decoders can fail on crafted input with unchecked exceptions of their own
            throw new BadRecordException(DeadLetterReason.INVALID_MEDIA, "cannot decode the " + frame.getFormat() + " picture: " + e, e);
        }
        expiry.expireIfIdle(streamId, source.timestamp());
        VideoEncoder encoder;
        try {
            encoder = encoders.get(streamId);
        } catch (RuntimeException e) {
            encoders.evict(streamId);
            throw codecFailure(e, DeadLetterReason.INVALID_MEDIA, "restoring the stream's state");
        }
        if (frame.getSeq() <= encoder.lastSeq()) {
            throw new BadRecordException(DeadLetterReason.STALE_SEQ, "frame seq " + frame.getSeq() + " of stream " + streamId
                    + " is not after the last one encoded, " + encoder.lastSeq() + ": a replayed or duplicated frame is not encoded twice"
                    + " (a producer that restarts its numbering must use a new stream id)");
        }
        FrameGeometry geometry;
        TokenPacket packet;
        try {
            geometry = encoder.layout(rgb);
            packet = encoder.encode(frame.getSeq(), rgb);
        } catch (RuntimeException e) {
            encoders.evict(streamId);
            throw codecFailure(e, DeadLetterReason.INVALID_MEDIA, "tokenizing");
        }
        encoders.save(streamId, encoder);
        expiry.recordActivity(streamId, source.timestamp());
        TokenBatch batch = TokenBatches.toAvro(streamId, frame.getTimestamp().toEpochMilli(), Modality.VIDEO,
                encoder.tokenizer(), packet, TokenBatches.toAvro(geometry), kernels.backend());
        framesIn.record(1);
        tokensFull.record((double) packet.positionsTotal() * packet.tokensPerPosition());
        tokensEmitted.record(packet.tokens().length);
        positionsReused.record(packet.reusedPositions().length);
        positionsPruned.record(packet.prunedCount());
        context().forward(new Record<Object, Object>(streamId, batch, source.timestamp()), tokenSink);
    }

    @Override
    public void close() {
        super.close();
        if (kernels != null) {
            kernels.close();
        }
    }
}
