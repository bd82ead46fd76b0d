package dev.weir.cli;

import dev.weir.avro.PixelFormat;
import dev.weir.avro.VideoFrame;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Frames from files, read one at a time so that `weir produce` never holds a long input in memory. */
class MediaFilesTest {

    @Test
    void aY4mIsReadFrameByFrameUpToTheLimit() throws Exception {
        // given the 4-frame .y4m sample and a limit of 2
        try (EventReader<VideoFrame> reader = MediaFiles.openVideoFrames(Path.of("samples/video/tree-4frames.y4m"), "cam", 2, 10)) {
            // when it is read to the end
            List<VideoFrame> frames = drain(reader);
            // then two raw RGB frames came, numbered from 0, 100 ms apart
            assertEquals(2, frames.size());
            VideoFrame first = frames.get(0);
            assertEquals(PixelFormat.RGB24, first.getFormat());
            assertEquals(first.getWidth() * first.getHeight() * 3, first.getData().remaining());
            assertEquals(List.of(0L, 1L), frames.stream().map(VideoFrame::getSeq).toList());
            assertEquals(100, frames.get(1).getTimestamp().toEpochMilli() - first.getTimestamp().toEpochMilli());
        }
    }

    @Test
    void aFolderOfImagesIsReadInNameOrderAsEncodedImages() throws Exception {
        // given the tree folder and a limit of 3
        try (EventReader<VideoFrame> reader = MediaFiles.openVideoFrames(Path.of("samples/video/tree"), "cam", 3, 15)) {
            // when
            List<VideoFrame> frames = drain(reader);
            // then the first three JPEGs, sizes read from their headers, and the same as the in-memory list
            assertEquals(3, frames.size());
            assertTrue(frames.stream().allMatch(f -> f.getFormat() == PixelFormat.JPEG && f.getWidth() == 320 && f.getHeight() == 240));
            assertEquals(List.of(0L, 1L, 2L), frames.stream().map(VideoFrame::getSeq).toList());
            List<VideoFrame> inMemory = MediaFiles.videoFrames(Path.of("samples/video/tree"), "cam", 3, 15);
            for (int i = 0; i < 3; i++) {
                assertEquals(inMemory.get(i).getData(), frames.get(i).getData(), "frame " + i);
            }
        }
    }

    private static List<VideoFrame> drain(EventReader<VideoFrame> reader) throws Exception {
        List<VideoFrame> frames = new ArrayList<>();
        for (Optional<VideoFrame> next = reader.next(); next.isPresent(); next = reader.next()) {
            frames.add(next.get());
        }
        assertTrue(reader.next().isEmpty(), "stays at the end");
        return frames;
    }
}
