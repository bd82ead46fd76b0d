package dev.weir.codec.video;

import dev.weir.codec.MediaFormatException;
import dev.weir.codec.video.internals.ImageFolderSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/** A finite sequence of frames read from disk, for evaluation and codebook training. */
public interface FrameSource extends AutoCloseable {

    /** The next frame, or empty at the end. */
    Optional<RgbFrame> next() throws IOException;

    @Override
    void close() throws IOException;

    /**
     * Opens a {@code .y4m} file ({@link Y4mReader}), a single {@code .jpg}/{@code .jpeg}/{@code .png}
     * image, or a folder of such images read in file-name order.
     *
     * @throws MediaFormatException when the path is none of these
     */
    static FrameSource open(Path path) throws IOException {
        String name = path.getFileName() == null ? "" : path.getFileName().toString().toLowerCase(Locale.ROOT);
        if (Files.isDirectory(path)) {
            return ImageFolderSource.ofFolder(path);
        }
        if (name.endsWith(".y4m")) {
            return Y4mReader.open(path);
        }
        if (ImageFolderSource.isImage(path)) {
            return ImageFolderSource.ofFiles(java.util.List.of(path));
        }
        throw new MediaFormatException(path + " is not a .y4m file, a .jpg/.png image or a folder of them");
    }
}
