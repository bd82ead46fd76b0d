package dev.weir.codec.video;

import dev.weir.codec.video.PixelFormat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The real sample media in samples/ (see samples/SOURCES.md), read relative to the repository root. */
final class TestMedia {

    static final Path SAMPLES = Path.of("samples");
    static final Path TREE_FRAMES = SAMPLES.resolve("video/tree");
    static final Path TREE_Y4M = SAMPLES.resolve("video/tree-4frames.y4m");
    static final Path COFFEE_FRAMES = SAMPLES.resolve("video/coffee-sprite");
    static final Path CHELSEA_PNG = SAMPLES.resolve("images/chelsea.png");

    private TestMedia() {
    }

    static byte[] bytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path treeJpeg(int frame) {
        return TREE_FRAMES.resolve(String.format("frame-%04d.jpg", frame));
    }

    static Path coffeeJpeg(int frame) {
        return COFFEE_FRAMES.resolve(String.format("scene-%04d.jpg", frame));
    }

    static RgbFrame treeFrame(int frame) {
        return PixelFormatDecoder.decode(PixelFormat.JPEG, 320, 240, bytes(treeJpeg(frame)));
    }

    static RgbFrame coffeeFrame(int frame) {
        return PixelFormatDecoder.decode(PixelFormat.JPEG, 640, 480, bytes(coffeeJpeg(frame)));
    }

    /** The layout {@code encoder} sends beside the tokens of {@code frame}. */
    static FrameGeometry layoutOf(VideoEncoder encoder, RgbFrame frame) {
        return new FrameGeometry(frame.width(), frame.height(), encoder.codebook().patchSize());
    }

    /** PSNR computed independently of the code under test: 10·log10(255²·N / Σ(a−b)²). */
    static double psnr(byte[] a, byte[] b) {
        double sse = 0;
        for (int k = 0; k < a.length; k++) {
            double d = (a[k] & 0xFF) - (b[k] & 0xFF);
            sse += d * d;
        }
        return sse == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(255.0 * 255.0 * a.length / sse);
    }
}
