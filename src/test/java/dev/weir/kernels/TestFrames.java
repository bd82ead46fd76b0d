package dev.weir.kernels;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.SplittableRandom;

/** Test inputs: real frames from {@code samples/} as RGB24, random data, codebooks with ties and extremes. */
final class TestFrames {

    private TestFrames() {
    }

    /** A sample JPEG decoded with ImageIO to RGB24, rows top to bottom. */
    static byte[] rgb(String samplePath) {
        try {
            BufferedImage image = ImageIO.read(Path.of(samplePath).toFile());
            int w = image.getWidth();
            int h = image.getHeight();
            byte[] rgb = new byte[w * h * 3];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int p = image.getRGB(x, y);
                    int o = (y * w + x) * 3;
                    rgb[o] = (byte) (p >> 16);
                    rgb[o + 1] = (byte) (p >> 8);
                    rgb[o + 2] = (byte) p;
                }
            }
            return rgb;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static PatchGrid geometryOf(String samplePath, int patch) {
        try {
            BufferedImage image = ImageIO.read(Path.of(samplePath).toFile());
            return new PatchGrid(image.getWidth(), image.getHeight(), patch);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] randomBytes(SplittableRandom random, int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) random.nextInt(256);
        }
        return bytes;
    }

    static short[] randomVectors(SplittableRandom random, int count, int dim, int maxAbs) {
        short[] v = new short[count * dim];
        for (int i = 0; i < v.length; i++) {
            v[i] = (short) random.nextInt(-maxAbs, maxAbs + 1);
        }
        return v;
    }

    /** A random codebook whose components include the extremes ±127. */
    static ShapeCodebook randomCodebook(SplittableRandom random, int size, int dim, int scaleShift) {
        byte[] q = new byte[size * dim];
        for (int i = 0; i < q.length; i++) {
            int roll = random.nextInt(20);
            q[i] = (byte) (roll == 0 ? 127 : roll == 1 ? -127 : random.nextInt(-127, 128));
        }
        return new ShapeCodebook(size, dim, scaleShift, q);
    }

    /**
     * A codebook full of ties: entries repeat with period {@code distinct}, so every vector has several
     * equally near entries and the lower index must win.
     */
    static ShapeCodebook tiedCodebook(SplittableRandom random, int size, int dim, int distinct) {
        byte[] base = randomCodebook(random, distinct, dim, 0).entries();
        byte[] q = new byte[size * dim];
        for (int j = 0; j < size; j++) {
            System.arraycopy(base, (j % distinct) * dim, q, j * dim, dim);
        }
        return new ShapeCodebook(size, dim, 0, q);
    }
}
