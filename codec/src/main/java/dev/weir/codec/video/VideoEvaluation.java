package dev.weir.codec.video;

import dev.weir.codec.MediaFormatException;
import dev.weir.codec.TokenPacket;
import dev.weir.codec.video.internals.JpegAnchor;
import dev.weir.codec.video.internals.Psnr;
import dev.weir.kernels.FrameGeometry;
import dev.weir.kernels.VideoKernels;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Offline evaluation of the video codec on a clip, with the same {@link VideoEncoder} and
 * {@link VideoDecoder} the topology runs, and no Kafka: every frame is encoded, the packet decoded,
 * and the decoded frame compared with the original. Then the JDK's JPEG encoder is run at the quality
 * whose bits per pixel is nearest to ours, as a classical anchor.
 *
 * <p>Bits per pixel counts the emitted token ids at their packed width
 * ({@link VideoTokenLayout#tokenBits(int)}): Σ over packets of positions · bitsPerPatch, divided by
 * width · height · frames. Positions and packet framing are not counted (every packet is a keyframe
 * today, so positions are implicit).
 */
public final class VideoEvaluation {

    /** PSNR reported for a frame decoded exactly. */
    public static final double PSNR_CAP_DB = Psnr.CAP_DB;

    private VideoEvaluation() {
    }

    /**
     * Evaluates up to {@code maxFrames} frames of {@code source} (all when {@code maxFrames ≤ 0}).
     *
     * @throws MediaFormatException when the source has no frames or its frame size changes
     */
    public static VideoEvalReport run(FrameSource source, VideoCodebook codebook, VideoKernels kernels, int maxFrames)
            throws IOException {
        VideoEncoder encoder = VideoEncoder.create(codebook, kernels);
        VideoDecoder decoder = VideoDecoder.create(codebook, kernels);
        VideoTokenLayout layout = codebook.layout();
        List<RgbFrame> originals = new ArrayList<>();
        FrameGeometry geometry = null;
        long tokensEmitted = 0;
        long positionsEmitted = 0;
        long codecNanos = 0;
        double psnrSum = 0;
        long seq = 0;
        Optional<RgbFrame> next;
        while ((maxFrames <= 0 || originals.size() < maxFrames) && (next = source.next()).isPresent()) {
            RgbFrame frame = next.get();
            FrameGeometry g = encoder.layout(frame);
            if (geometry != null && !geometry.equals(g)) {
                throw new MediaFormatException("frame " + seq + " is " + frame.width() + "x" + frame.height()
                        + ", the clip started at " + geometry.width() + "x" + geometry.height()
                        + "; an evaluation needs one frame size");
            }
            geometry = g;
            long start = System.nanoTime();
            TokenPacket packet = encoder.encode(seq, frame);
            RgbFrame decoded = decoder.decode(g, packet);
            codecNanos += System.nanoTime() - start;
            tokensEmitted += packet.tokens().length;
            positionsEmitted += packet.positionCount();
            psnrSum += Psnr.fromSquaredError(kernels.squaredError(frame.rgb(), decoded.rgb(), frame.rgb().length),
                    frame.rgb().length);
            originals.add(frame);
            seq++;
        }
        if (geometry == null) {
            throw new MediaFormatException("the input has no frames");
        }
        int frames = originals.size();
        int stages = layout.stages();
        long tokensFull = (long) frames * geometry.patches() * stages;
        double pixels = (double) geometry.width() * geometry.height() * frames;
        double bitsPerPixel = positionsEmitted * layout.bitsPerPatch() / pixels;
        double psnr = psnrSum / frames;
        JpegAnchor.Point jpeg = new JpegAnchor(originals).nearest(bitsPerPixel);
        return new VideoEvalReport(frames, geometry.width(), geometry.height(), geometry.patch(), geometry.patches(),
                stages, tokensFull, tokensEmitted, (double) tokensEmitted / tokensFull,
                // Every packet carries every patch until the cacher/pruner lands, so the full-token
                // reconstruction is the one measured.
                psnr, psnr, 0, 0, frames, layout.bitsPerPatch(), bitsPerPixel,
                jpeg.quality(), jpeg.bitsPerPixel(), jpeg.psnrDb(),
                frames / (codecNanos / 1e9), frames / (codecNanos / 1e9), "none", java.util.Map.of(),
                kernels.backend(), codebook.id(), codebook.hash());
    }
}
