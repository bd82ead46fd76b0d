package dev.weir.codec.video.internals;

import dev.weir.codec.video.Psnr;
import dev.weir.codec.video.RgbFrame;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The classical anchor of the evaluation: the JDK's baseline JPEG encoder (ImageIO, 4:2:0, standard
 * Huffman tables) at the integer quality 1..100 whose mean bits per pixel over the clip is nearest to
 * a target.
 */
public final class JpegAnchor {

    /** One quality setting measured on a clip. */
    public record Point(int quality, double bitsPerPixel, double psnrDb) {
    }

    private final List<RgbFrame> frames;
    private final Map<Integer, Point> measured = new HashMap<>();

    public JpegAnchor(List<RgbFrame> frames) {
        this.frames = frames;
    }

    /**
     * The quality nearest to {@code targetBitsPerPixel}: binary search for the lowest quality at or
     * above the target (bits per pixel grow with quality), then the nearer of it and the one below.
     */
    public Point nearest(double targetBitsPerPixel) {
        int lo = 1;
        int hi = 100;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (measure(mid).bitsPerPixel() >= targetBitsPerPixel) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        Point above = measure(lo);
        if (lo == 1) {
            return above;
        }
        Point below = measure(lo - 1);
        return Math.abs(below.bitsPerPixel() - targetBitsPerPixel) <= Math.abs(above.bitsPerPixel() - targetBitsPerPixel)
                ? below : above;
    }

    /** Encodes and decodes every frame at {@code quality}; mean bits per pixel and PSNR. */
    public Point measure(int quality) {
        return measured.computeIfAbsent(quality, q -> {
            double bits = 0;
            double psnr = 0;
            for (RgbFrame frame : frames) {
                byte[] file = encode(frame, q);
                RgbFrame decoded = ImageDecoding.decode(dev.weir.codec.video.PixelFormat.JPEG, frame.width(), frame.height(), file);
                bits += 8.0 * file.length / ((double) frame.width() * frame.height());
                psnr += Psnr.db(frame.rgb(), decoded.rgb());
            }
            return new Point(q, bits / frames.size(), psnr / frames.size());
        });
    }

    /** A baseline JPEG file of {@code frame} at ImageIO quality {@code quality}/100. */
    public static byte[] encode(RgbFrame frame, int quality) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
            writer.setOutput(stream);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(quality / 100f);
            writer.write(null, new IIOImage(ImageDecoding.toImage(frame), null, null), param);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }

}
