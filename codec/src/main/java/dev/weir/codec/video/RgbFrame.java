package dev.weir.codec.video;

import dev.weir.codec.MediaFormatException;
import dev.weir.codec.video.internals.ImageDecoding;
import dev.weir.kernels.PatchGrid;

import java.awt.image.BufferedImage;
import java.util.Objects;

/**
 * A decoded picture: RGB24, rows top to bottom, no padding, {@code width·height·3} bytes. The array is
 * handed over, not copied.
 */
public record RgbFrame(int width, int height, byte[] rgb) {

    public RgbFrame {
        Objects.requireNonNull(rgb, "rgb");
        checkSize(width, height);
        if (rgb.length != width * height * 3) {
            throw new MediaFormatException("RGB24 frame " + width + "x" + height + " needs " + width * height * 3
                    + " bytes, got " + rgb.length);
        }
    }

    /** A copy of the picture as a JDK image ({@code TYPE_3BYTE_BGR}), for ImageIO (PNG, JPEG) and drawing. */
    public BufferedImage toImage() {
        return ImageDecoding.toImage(this);
    }

    /** The patch grid of this frame at patch side {@code patch}. */
    public PatchGrid geometry(int patch) {
        return new PatchGrid(width, height, patch);
    }

    /**
     * Checks a frame size against the limits every Weir input obeys (1..{@link PatchGrid#MAX_SIDE}).
     *
     * @throws MediaFormatException when it is out of range
     */
    public static void checkSize(int width, int height) {
        if (width <= 0 || height <= 0 || width > PatchGrid.MAX_SIDE || height > PatchGrid.MAX_SIDE) {
            throw new MediaFormatException("frame size " + width + "x" + height + " out of range: width and height must be 1.."
                    + PatchGrid.MAX_SIDE);
        }
    }
}
