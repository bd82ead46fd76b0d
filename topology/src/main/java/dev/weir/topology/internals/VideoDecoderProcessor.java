package dev.weir.topology.internals;

import dev.weir.avro.DecodedFrame;
import dev.weir.avro.Modality;
import dev.weir.avro.PixelFormat;
import dev.weir.avro.TokenBatch;
import dev.weir.avro.VideoGeometry;
import dev.weir.codec.TokenizerRef;
import dev.weir.codec.video.RgbFrame;
import dev.weir.codec.video.VideoCodebook;
import dev.weir.codec.video.VideoDecoder;
import dev.weir.kernels.FrameGeometry;
import dev.weir.kernels.VideoKernels;
import dev.weir.topology.DeadLetterReason;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Token batches in, decoded frames out: rebuilds each stream's frames from the token topic alone, as a
 * downstream consumer would, with the decoder state in a changelogged store. The state of a stream idle
 * for longer than the idle timeout is deleted ({@link IdleStreamExpiry}); when the stream returns, the
 * decoder waits for a keyframe as for any stream it holds no picture of.
 */
public final class VideoDecoderProcessor extends GuardedProcessor<TokenBatch> {

    private final String storeName;
    /** The decoder keeps an idle stream this many times the configured timeout (see {@link #open}). */
    static final int DECODER_TIMEOUT_FACTOR = 2;
    private final Duration idleTimeout;
    private final String decodedSink;
    private final VideoCodebook codebook;
    private final Supplier<VideoKernels> kernelsFactory;

    private VideoKernels kernels;
    private StreamStates<VideoDecoder> decoders;
    private IdleStreamExpiry expiry;
    private Sensor framesDecoded;

    public VideoDecoderProcessor(String name, String storeName, Duration idleTimeout, String decodedSink, String deadLetterSink,
                                 Deserializer<TokenBatch> deserializer, int maxEventBytes, int deadLetterMaxBytes,
                                 VideoCodebook codebook, Supplier<VideoKernels> kernelsFactory) {
        super(name, deadLetterSink, deserializer, maxEventBytes, deadLetterMaxBytes);
        this.storeName = storeName;
        this.idleTimeout = idleTimeout;
        this.decodedSink = decodedSink;
        this.codebook = codebook;
        this.kernelsFactory = kernelsFactory;
    }

    @Override
    protected void open(ProcessorContext<Object, Object> context, ProcessorMetrics metrics) {
        kernels = kernelsFactory.get();
        decoders = new StreamStates<>(context.getStateStore(storeName), () -> VideoDecoder.create(codebook, kernels));
        // Twice the tokenizer's timeout: the tokenizer always restarts an idle stream (with a keyframe, which
        // replaces whatever picture this decoder still holds) before the decoder forgets it, even when the two
        // tasks' stream times differ; a decoder that forgot first would refuse the tokenizer's next delta.
        Duration decoderTimeout = idleTimeout.toMillis() > Long.MAX_VALUE / DECODER_TIMEOUT_FACTOR
                ? idleTimeout : idleTimeout.multipliedBy(DECODER_TIMEOUT_FACTOR);
        expiry = IdleStreamExpiry.start(context, storeName, decoderTimeout, decoders::remove, metrics);
        metrics.tag("backend", kernels.backend());
        framesDecoded = metrics.sum("frames-decoded", "frames rebuilt from tokens");
    }

    @Override
    protected String streamIdOf(TokenBatch event) {
        return event.getStreamId();
    }

    @Override
    protected void handle(String streamId, TokenBatch batch, Record<byte[], byte[]> source) throws BadRecordException {
        if (batch.getModality() != Modality.VIDEO || batch.getVideo() == null) {
            throw new BadRecordException(DeadLetterReason.UNDECODABLE_TOKENS,
                    "token batch is " + batch.getModality() + (batch.getVideo() == null ? " without video geometry" : "") + ": the video decoder needs VIDEO batches");
        }
        TokenizerRef ref = TokenBatches.fromAvro(batch.getTokenizer());
        if (!ref.equals(codebook.tokenizerRef())) {
            throw new BadRecordException(DeadLetterReason.UNDECODABLE_TOKENS, "tokens made by " + ref
                    + " but this decoder has " + codebook.tokenizerRef() + ": configure the same weir.video.codebook on both sides");
        }
        VideoGeometry g = batch.getVideo();
        RgbFrame frame;
        VideoDecoder decoder;
        try {
            FrameGeometry geometry = new FrameGeometry(g.getWidth(), g.getHeight(), g.getPatchSize());
            decoder = decoders.get(streamId);
            if (decoders.isFresh(streamId) && !batch.getKeyframe()) {
                throw new BadRecordException(DeadLetterReason.UNDECODABLE_TOKENS, "the decoder holds no picture for stream "
                        + streamId + " yet (it joined late or lost its state): waiting for a keyframe rather than painting "
                        + "changes over a black frame");
            }
            frame = decoder.decode(geometry, TokenBatches.toPacket(batch));
        } catch (RuntimeException e) {
            decoders.evict(streamId);
            throw codecFailure(e, DeadLetterReason.UNDECODABLE_TOKENS, "decoding");
        }
        decoders.save(streamId, decoder);
        expiry.recordActivity(streamId, source.timestamp());
        DecodedFrame decoded = DecodedFrame.newBuilder()
                .setStreamId(streamId)
                .setSeq(batch.getSeq())
                .setTimestamp(batch.getTimestamp())
                .setWidth(frame.width())
                .setHeight(frame.height())
                .setFormat(PixelFormat.RGB24)
                .setData(ByteBuffer.wrap(frame.rgb()))
                .setTokenizer(batch.getTokenizer())
                .build();
        framesDecoded.record(1);
        context().forward(new Record<Object, Object>(streamId, decoded, source.timestamp()), decodedSink);
    }

    @Override
    public void close() {
        super.close();
        if (kernels != null) {
            kernels.close();
        }
    }
}
