package dev.weir.topology;

import dev.weir.avro.PixelFormat;
import dev.weir.avro.VideoFrame;
import dev.weir.codec.video.PixelFormatDecoder;
import dev.weir.codec.video.Psnr;
import dev.weir.codec.video.RgbFrame;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/** Real frames from {@code samples/} (see samples/SOURCES.md) as Weir events, and the PSNR to judge decoded ones. */
final class SampleFrames {

    static final Path TREE = Path.of("samples/video/tree");

    private SampleFrames() {
    }

    static byte[] treeJpeg(int number) {
        try {
            return Files.readAllBytes(TREE.resolve(String.format("frame-%04d.jpg", number)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static final Path COFFEE = Path.of("samples/video/coffee-sprite");

    static byte[] coffeeJpeg(int number) {
        try {
            return Files.readAllBytes(COFFEE.resolve(String.format("scene-%04d.jpg", number)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static RgbFrame coffeeRgb(int number) {
        return PixelFormatDecoder.decode(dev.weir.codec.video.PixelFormat.JPEG, 640, 480, coffeeJpeg(number));
    }

    static VideoFrame coffeeFrame(String streamId, int number) {
        return frame(streamId, number, 640, 480, PixelFormat.JPEG, coffeeJpeg(number));
    }

    static RgbFrame treeRgb(int number) {
        return PixelFormatDecoder.decode(dev.weir.codec.video.PixelFormat.JPEG, 320, 240, treeJpeg(number));
    }

    static VideoFrame frame(String streamId, long seq, int width, int height, PixelFormat format, byte[] data) {
        return VideoFrame.newBuilder()
                .setStreamId(streamId)
                .setSeq(seq)
                .setTimestamp(Instant.ofEpochMilli(1_700_000_000_000L + seq * 66))
                .setWidth(width)
                .setHeight(height)
                .setFormat(format)
                .setData(ByteBuffer.wrap(data))
                .build();
    }

    static VideoFrame treeFrame(String streamId, int number) {
        return frame(streamId, number, 320, 240, PixelFormat.JPEG, treeJpeg(number));
    }

    /** PSNR of two RGB24 pictures, 8-bit peak (the codec's definition, as eval and the demo report it). */
    static double psnr(byte[] a, byte[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("sizes differ: " + a.length + " vs " + b.length);
        }
        return Psnr.db(a, b);
    }

    static byte[] bytes(ByteBuffer buffer) {
        ByteBuffer view = buffer.duplicate();
        byte[] out = new byte[view.remaining()];
        view.get(out);
        return out;
    }
}
