package dev.weir.codec.video;

import dev.weir.codec.MediaFormatException;
import dev.weir.codec.video.internals.ImageDecoding;
import dev.weir.codec.video.internals.Yuv420;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * Decodes the picture of a {@code VideoFrame} ({@link PixelFormat}, declared width and height, data
 * bytes) into an {@link RgbFrame}. Sizes and lengths are validated before any pixel buffer is
 * allocated; for JPEG and PNG the size declared in the file header is read first and must equal the
 * declared size.
 *
 * <ul>
 *   <li>{@code RGB24}: {@code w·h·3} bytes, copied as is.</li>
 *   <li>{@code GRAY8}: {@code w·h} bytes, replicated to R = G = B.</li>
 *   <li>{@code I420}: planar Y (w·h), U and V (each ⌈w/2⌉·⌈h/2⌉), BT.601 limited ("TV", Y 16..235,
 *       Cb/Cr 16..240) range, chroma replicated over each 2×2 block.</li>
 *   <li>{@code JPEG}, {@code PNG}: a complete file, decoded with the JDK's ImageIO.</li>
 * </ul>
 */
public final class PixelFormatDecoder {

    private PixelFormatDecoder() {
    }

    /**
     * Decodes one picture.
     *
     * @throws MediaFormatException when the size is out of range, the length is wrong, the data is not a
     *                              decodable image of that format, or its header declares another size
     */
    public static RgbFrame decode(PixelFormat format, int width, int height, byte[] data) {
        Objects.requireNonNull(format, "format");
        if (data == null) {
            throw new MediaFormatException(format + " frame has no data");
        }
        RgbFrame.checkSize(width, height);
        return switch (format) {
            case RGB24 -> {
                checkLength(format, data, (long) width * height * 3, "width*height*3");
                yield new RgbFrame(width, height, data.clone());
            }
            case GRAY8 -> {
                checkLength(format, data, (long) width * height, "width*height");
                byte[] rgb = new byte[width * height * 3];
                for (int k = 0; k < data.length; k++) {
                    rgb[3 * k] = rgb[3 * k + 1] = rgb[3 * k + 2] = data[k];
                }
                yield new RgbFrame(width, height, rgb);
            }
            case I420 -> {
                checkLength(format, data, Yuv420.frameBytes(width, height), "width*height + 2*ceil(width/2)*ceil(height/2)");
                yield new RgbFrame(width, height, Yuv420.toRgb(data, 0, width, height, false));
            }
            case JPEG, PNG -> ImageDecoding.decode(format, width, height, data);
        };
    }

    /**
     * Decodes one picture from a buffer (for example Avro's {@code VideoFrame.getData()}), reading its
     * remaining bytes without moving its position. Raw formats are length-checked before the bytes
     * are copied, once.
     *
     * @throws MediaFormatException as {@link #decode(PixelFormat, int, int, byte[])}
     */
    public static RgbFrame decode(PixelFormat format, int width, int height, ByteBuffer data) {
        Objects.requireNonNull(format, "format");
        if (data == null) {
            throw new MediaFormatException(format + " frame has no data");
        }
        RgbFrame.checkSize(width, height);
        long expected = switch (format) {
            case RGB24 -> (long) width * height * 3;
            case GRAY8 -> (long) width * height;
            case I420 -> Yuv420.frameBytes(width, height);
            case JPEG, PNG -> -1;
        };
        if (expected >= 0 && data.remaining() != expected) {
            throw new MediaFormatException(format + " frame has " + data.remaining() + " bytes; expected " + expected
                    + " for " + width + "x" + height);
        }
        byte[] bytes = new byte[data.remaining()];
        data.duplicate().get(bytes);
        // an RGB24 copy is the picture already: hand it over rather than let decode(byte[]) copy it again
        return format == PixelFormat.RGB24 ? new RgbFrame(width, height, bytes) : decode(format, width, height, bytes);
    }

    private static void checkLength(PixelFormat format, byte[] data, long expected, String formula) {
        if (data.length != expected) {
            throw new MediaFormatException(format + " frame has " + data.length + " bytes; expected " + expected
                    + " (" + formula + ")");
        }
    }
}
