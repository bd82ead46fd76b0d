package dev.weir.inspector.internals;

import dev.weir.codec.video.RgbFrame;

import javax.imageio.ImageIO;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/** An RGB picture as a PNG file (the JDK's ImageIO). */
final class Png {

    private Png() {
    }

    static byte[] of(RgbFrame frame) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(frame.rgb().length / 4);
        try {
            ImageIO.write(frame.toImage(), "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
