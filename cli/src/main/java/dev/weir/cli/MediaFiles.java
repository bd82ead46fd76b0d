package dev.weir.cli;

import dev.weir.avro.PixelFormat;
import dev.weir.avro.VideoFrame;
import dev.weir.codec.video.FrameSource;
import dev.weir.codec.video.RgbFrame;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Frames from files as Weir events: JPEG and PNG images are sent as they are (the tokenizer decodes
 * them), {@code .y4m} video as raw RGB24.
 */
final class MediaFiles {

    private MediaFiles() {
    }

    /** The frames of {@code path} (a folder of images in name order, one image, or a .y4m), at most {@code limit}, in memory. */
    static List<VideoFrame> videoFrames(Path path, String streamId, int limit, double fps) throws IOException {
        List<VideoFrame> frames = new ArrayList<>();
        try (EventReader<VideoFrame> reader = openVideoFrames(path, streamId, limit, fps)) {
            for (Optional<VideoFrame> next = reader.next(); next.isPresent(); next = reader.next()) {
                frames.add(next.get());
            }
        }
        return frames;
    }

    /**
     * Opens the frames of {@code path} (a folder of images in name order, one image, or a .y4m) for reading
     * one at a time, at most {@code limit}; timestamps from now, {@code 1000 / fps} ms apart.
     */
    static EventReader<VideoFrame> openVideoFrames(Path path, String streamId, int limit, double fps) throws IOException {
        long start = System.currentTimeMillis();
        long step = Math.round(1000 / fps);
        String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".y4m")) {
            FrameSource source = FrameSource.open(path);
            return new EventReader<>() {
                private int seq;

                @Override
                public Optional<VideoFrame> next() throws IOException {
                    if (seq >= limit) {
                        return Optional.empty();
                    }
                    Optional<RgbFrame> next = source.next();
                    return next.map(f -> frame(streamId, seq, start + seq++ * step, f.width(), f.height(), PixelFormat.RGB24, f.rgb()));
                }

                @Override
                public void close() throws IOException {
                    source.close();
                }
            };
        }
        List<Path> images;
        if (Files.isDirectory(path)) {
            try (Stream<Path> files = Files.list(path)) {
                images = files.filter(MediaFiles::isImage).sorted().limit(limit).toList();
            }
        } else {
            images = List.of(path);
        }
        Iterator<Path> remaining = images.iterator();
        return new EventReader<>() {
            private int seq;

            @Override
            public Optional<VideoFrame> next() throws IOException {
                if (!remaining.hasNext()) {
                    return Optional.empty();
                }
                Path image = remaining.next();
                byte[] data = Files.readAllBytes(image);
                PixelFormat format = image.toString().toLowerCase(Locale.ROOT).endsWith(".png") ? PixelFormat.PNG : PixelFormat.JPEG;
                int[] size = imageSize(image, data);
                VideoFrame frame = frame(streamId, seq, start + seq * step, size[0], size[1], format, data);
                seq++;
                return Optional.of(frame);
            }

            @Override
            public void close() {
            }
        };
    }

    static VideoFrame frame(String streamId, long seq, long timestamp, int width, int height, PixelFormat format, byte[] data) {
        return VideoFrame.newBuilder().setStreamId(streamId).setSeq(seq).setTimestamp(Instant.ofEpochMilli(timestamp))
                .setWidth(width).setHeight(height).setFormat(format).setData(ByteBuffer.wrap(data)).build();
    }

    /** Width and height from the image header, without decoding the pixels. */
    static int[] imageSize(Path image, byte[] data) throws IOException {
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(data))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new IOException(image + " is not an image ImageIO can read");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in);
                return new int[] {reader.getWidth(0), reader.getHeight(0)};
            } finally {
                reader.dispose();
            }
        }
    }

    static boolean isImage(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return n.endsWith(".jpg") || n.endsWith(".jpeg") || n.endsWith(".png");
    }
}
