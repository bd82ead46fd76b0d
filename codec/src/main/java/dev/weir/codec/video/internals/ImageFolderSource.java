package dev.weir.codec.video.internals;

import dev.weir.codec.MediaFormatException;
import dev.weir.codec.video.FrameSource;
import dev.weir.codec.video.RgbFrame;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/** JPEG and PNG files as frames, in the order given (a folder: file-name order). */
public final class ImageFolderSource implements FrameSource {

    /** Files larger than this are not images Weir accepts (an 8192² PNG of noise is ~200 MB). */
    private static final long MAX_FILE_BYTES = 256L << 20;

    private final Iterator<Path> files;

    private ImageFolderSource(List<Path> files) {
        this.files = files.iterator();
    }

    public static ImageFolderSource ofFolder(Path folder) throws IOException {
        List<Path> images;
        try (Stream<Path> list = Files.list(folder)) {
            images = list.filter(ImageFolderSource::isImage).sorted().toList();
        }
        if (images.isEmpty()) {
            throw new MediaFormatException(folder + " holds no .jpg, .jpeg or .png files");
        }
        return new ImageFolderSource(images);
    }

    public static ImageFolderSource ofFiles(List<Path> files) {
        return new ImageFolderSource(List.copyOf(files));
    }

    public static boolean isImage(Path path) {
        String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
        return Files.isRegularFile(path) && (name.endsWith(".jpg") || name.endsWith(".jpeg") || name.endsWith(".png"));
    }

    @Override
    public Optional<RgbFrame> next() throws IOException {
        if (!files.hasNext()) {
            return Optional.empty();
        }
        Path file = files.next();
        long size = Files.size(file);
        if (size > MAX_FILE_BYTES) {
            throw new MediaFormatException(file + " is " + size + " bytes, above the " + MAX_FILE_BYTES + " accepted");
        }
        byte[] data = Files.readAllBytes(file);
        var format = ImageDecoding.sniff(data);
        if (format == null) {
            throw new MediaFormatException(file + " is neither a JPEG nor a PNG file");
        }
        try {
            return Optional.of(ImageDecoding.decode(format, -1, -1, data));
        } catch (MediaFormatException e) {
            throw new MediaFormatException(file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
    }
}
