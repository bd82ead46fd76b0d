package dev.weir.inspector.internals;

import dev.weir.avro.DecodedFrame;
import dev.weir.avro.TokenBatch;
import dev.weir.avro.VideoFrame;
import dev.weir.avro.VideoGeometry;
import dev.weir.codec.video.PixelFormat;
import dev.weir.codec.video.PixelFormatDecoder;
import dev.weir.codec.video.Psnr;
import dev.weir.codec.video.RgbFrame;
import org.apache.avro.specific.SpecificRecord;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A video stream: the window of batch facts, the patch fates of its last {@value #FRAMES_KEPT} batches, its latest
 * decoded frame, and, when the inputs are read, its last source frames (as they came: a JPEG stays a JPEG; at most
 * {@value #SOURCES_KEPT} frames and {@value #SOURCE_BYTES_KEPT} bytes, so that a decoded frame finds its source although
 * the inputs are read ahead of the outputs) and the PSNR of every decoded frame whose source was read. Memory per
 * stream: one decoded picture, the source frames, and up to {@value #PENDING_KEPT} decoded pictures waiting for their
 * source.
 */
public final class VideoTracker extends StreamTracker {

    /** Batches whose fates, and source frames, are kept. */
    static final int FRAMES_KEPT = 8;
    /** Source frames kept, at most. */
    static final int SOURCES_KEPT = 128;
    /** Bytes of source frames kept, at most (16 MiB): 18 raw 640×480 frames, a few hundred JPEGs. */
    static final long SOURCE_BYTES_KEPT = 16L << 20;
    /** Decoded pictures kept while their source frame has not been read yet. */
    static final int PENDING_KEPT = 4;
    /** Largest picture decoded for the page or PSNR (pixels × 3): 64 MiB. */
    private static final long MAX_RGB_BYTES = 64L << 20;

    private final boolean inputsRead;
    private final Map<Long, PatchFates> fates = Bounded.map(FRAMES_KEPT);
    private final java.util.LinkedHashMap<Long, VideoFrame> sources = new java.util.LinkedHashMap<>();
    private long sourceBytes;
    private final Map<Long, RgbFrame> pending = Bounded.map(PENDING_KEPT);
    private final Map<Long, Double> psnr;
    private VideoGeometry geometry;
    private RgbFrame latest;
    private long latestSeq = -1;
    private long latestSourceSeq = -1;

    public VideoTracker(String id, int window, boolean inputsRead) {
        super(id, "video", window);
        this.inputsRead = inputsRead;
        this.psnr = Bounded.map(window);
    }

    @Override
    protected void batch(TokenBatch batch, BatchFacts facts) {
        if (batch.getLayout() instanceof VideoGeometry g) {
            geometry = g;
            fates.put(batch.getSeq(), PatchFates.of(batch));
        }
    }

    @Override
    protected void decoded(SpecificRecord record) {
        if (!(record instanceof DecodedFrame f) || (long) f.getWidth() * f.getHeight() * 3 > MAX_RGB_BYTES
                || f.getData().remaining() != f.getWidth() * f.getHeight() * 3) {
            return;
        }
        RgbFrame frame = new RgbFrame(f.getWidth(), f.getHeight(), bytes(f.getData()));
        if (f.getSeq() >= latestSeq || latest == null) {
            latest = frame;
            latestSeq = f.getSeq();
        }
        VideoFrame source = sources.get(f.getSeq());
        if (source != null) {
            measure(f.getSeq(), source, frame);
        } else if (inputsRead) {
            pending.put(f.getSeq(), frame);
        }
    }

    @Override
    protected void input(SpecificRecord record) {
        if (!(record instanceof VideoFrame f)) {
            return;
        }
        VideoFrame replaced = sources.put(f.getSeq(), f);
        sourceBytes += f.getData().remaining() - (replaced == null ? 0 : replaced.getData().remaining());
        while (sources.size() > 1 && (sources.size() > SOURCES_KEPT || sourceBytes > SOURCE_BYTES_KEPT)) {
            var eldest = sources.pollFirstEntry();
            sourceBytes -= eldest.getValue().getData().remaining();
        }
        latestSourceSeq = Math.max(latestSourceSeq, f.getSeq());
        RgbFrame decoded = pending.remove(f.getSeq());
        if (decoded != null) {
            measure(f.getSeq(), f, decoded);
        }
    }

    /** The latest decoded picture and its seq. */
    public Optional<Picture> decodedPicture() {
        return latest == null ? Optional.empty() : Optional.of(new Picture(latestSeq, latest));
    }

    /** The latest source frame read, decoded to RGB. */
    public Optional<Picture> sourcePicture() {
        VideoFrame f = sources.get(latestSourceSeq);
        return f == null ? Optional.empty() : rgb(f).map(rgb -> new Picture(f.getSeq(), rgb));
    }

    /** A picture and the seq of the frame it is. */
    public record Picture(long seq, RgbFrame rgb) {
    }

    @Override
    public VideoView detail() {
        List<VideoView.Point> series = new ArrayList<>();
        for (BatchFacts b : window()) {
            series.add(new VideoView.Point(b.seq(), b.timestamp(), b.tokensFull(), b.tokensEmitted(), b.keyframe(), psnr.get(b.seq())));
        }
        PatchFates shown = fates.get(latestSeq);
        return new VideoView(geometry == null ? 0 : geometry.getWidth(), geometry == null ? 0 : geometry.getHeight(),
                geometry == null ? 0 : geometry.getPatchSize(), latestSeq, shown, VideoView.FateCounts.of(shown), latestSourceSeq,
                inputsRead, series);
    }

    private void measure(long seq, VideoFrame source, RgbFrame decoded) {
        rgb(source).filter(s -> s.width() == decoded.width() && s.height() == decoded.height())
                .ifPresent(s -> psnr.put(seq, Psnr.db(s.rgb(), decoded.rgb())));
    }

    private static Optional<RgbFrame> rgb(VideoFrame f) {
        if ((long) f.getWidth() * f.getHeight() * 3 > MAX_RGB_BYTES) {
            return Optional.empty();
        }
        try {
            return Optional.of(PixelFormatDecoder.decode(PixelFormat.valueOf(f.getFormat().name()), f.getWidth(), f.getHeight(), f.getData()));
        } catch (RuntimeException e) {
            return Optional.empty(); // a frame the topology set aside as a dead letter: nothing to show
        }
    }

    private static byte[] bytes(ByteBuffer data) {
        byte[] out = new byte[data.remaining()];
        data.duplicate().get(out);
        return out;
    }
}
