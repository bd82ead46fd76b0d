package dev.weir.codec.video.internals;

import dev.weir.codec.video.PixelFormat;
import dev.weir.codec.MediaFormatException;
import dev.weir.codec.video.RgbFrame;
import dev.weir.kernels.PatchGrid;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * JPEG and PNG through the JDK's ImageIO, with the checks ImageIO does not do: the magic bytes
 * first, then the size the header declares (read without decoding pixels) against the limits and the
 * caller's declared size, and decoder warnings (a truncated or corrupt JPEG) turned into errors.
 */
public final class ImageDecoding {

    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

    private ImageDecoding() {
    }

    /** The format the magic bytes announce, or null when they are neither JPEG nor PNG. */
    public static PixelFormat sniff(byte[] data) {
        if (data.length >= 3 && (data[0] & 0xFF) == 0xFF && (data[1] & 0xFF) == 0xD8 && (data[2] & 0xFF) == 0xFF) {
            return PixelFormat.JPEG;
        }
        if (data.length >= PNG_SIGNATURE.length
                && java.util.Arrays.equals(data, 0, PNG_SIGNATURE.length, PNG_SIGNATURE, 0, PNG_SIGNATURE.length)) {
            return PixelFormat.PNG;
        }
        return null;
    }

    /**
     * Decodes a JPEG or PNG file whose size must be {@code width}×{@code height}; a negative width or
     * height accepts whatever size the header declares (within the limits).
     */
    public static RgbFrame decode(PixelFormat format, int width, int height, byte[] data) {
        PixelFormat actual = sniff(data);
        if (actual != format) {
            throw new MediaFormatException("data is not a " + format + " file: its first bytes are "
                    + (actual == null ? "neither a JPEG (FF D8 FF) nor a PNG signature" : "a " + actual + " signature"));
        }
        String what = format + " image";
        // In-memory stream: ImageIO.createImageInputStream would spill to a temporary file when its disk cache is on.
        try (ImageInputStream stream = new MemoryCacheImageInputStream(new ByteArrayInputStream(data))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(stream);
            if (!readers.hasNext()) {
                throw new MediaFormatException(what + " has no ImageIO reader: the data is corrupt");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(stream, true, true);
                int declaredWidth = reader.getWidth(0);
                int declaredHeight = reader.getHeight(0);
                if (declaredWidth > PatchGrid.MAX_SIDE || declaredHeight > PatchGrid.MAX_SIDE
                        || declaredWidth <= 0 || declaredHeight <= 0) {
                    throw new MediaFormatException(what + " header declares " + declaredWidth + "x" + declaredHeight
                            + ", outside the limit of 1.." + PatchGrid.MAX_SIDE + " per side; not decoded");
                }
                if (width >= 0 && (declaredWidth != width || declaredHeight != height)) {
                    throw new MediaFormatException(what + " header declares " + declaredWidth + "x" + declaredHeight
                            + " but the frame says " + width + "x" + height + "; they must match");
                }
                List<String> warnings = new ArrayList<>();
                reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
                BufferedImage image = reader.read(0);
                if (!warnings.isEmpty()) {
                    throw new MediaFormatException(what + " is corrupt: " + String.join("; ", warnings));
                }
                if (image.getWidth() != declaredWidth || image.getHeight() != declaredHeight) {
                    throw new MediaFormatException(what + " decoded to " + image.getWidth() + "x" + image.getHeight()
                            + ", not the " + declaredWidth + "x" + declaredHeight + " its header declares");
                }
                return new RgbFrame(declaredWidth, declaredHeight, toRgb(image));
            } finally {
                reader.dispose();
            }
        } catch (MediaFormatException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new MediaFormatException(what + " cannot be decoded: " + e.getMessage(), e);
        }
    }

    /** Tightly packed RGB24 of an image of any type. */
    public static byte[] toRgb(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        byte[] rgb = new byte[w * h * 3];
        if (image.getType() == BufferedImage.TYPE_3BYTE_BGR
                && image.getRaster().getDataBuffer() instanceof DataBufferByte buffer
                && buffer.getData().length == rgb.length) {
            byte[] bgr = buffer.getData();
            for (int k = 0; k < rgb.length; k += 3) {
                rgb[k] = bgr[k + 2];
                rgb[k + 1] = bgr[k + 1];
                rgb[k + 2] = bgr[k];
            }
            return rgb;
        }
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            image.getRGB(0, y, w, 1, row, 0, w);
            for (int x = 0; x < w; x++) {
                int o = (y * w + x) * 3;
                rgb[o] = (byte) (row[x] >> 16);
                rgb[o + 1] = (byte) (row[x] >> 8);
                rgb[o + 2] = (byte) row[x];
            }
        }
        return rgb;
    }

    /** An image of type TYPE_3BYTE_BGR holding {@code frame}. */
    public static BufferedImage toImage(RgbFrame frame) {
        BufferedImage image = new BufferedImage(frame.width(), frame.height(), BufferedImage.TYPE_3BYTE_BGR);
        byte[] bgr = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
        byte[] rgb = frame.rgb();
        for (int k = 0; k < rgb.length; k += 3) {
            bgr[k] = rgb[k + 2];
            bgr[k + 1] = rgb[k + 1];
            bgr[k + 2] = rgb[k];
        }
        return image;
    }
}
