package dev.weir.codec.video;

import dev.weir.codec.MediaFormatException;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Y4mReaderTest {

    @Test
    void framesAgreeWithTheJpegFramesOfTheSameClip() throws Exception {
        // given the lossless 4-frame .y4m of the tree clip (C420jpeg, limited range) and its JPEG frames
        List<RgbFrame> frames = new ArrayList<>();
        try (Y4mReader reader = Y4mReader.open(TestMedia.TREE_Y4M)) {
            assertEquals(320, reader.width());
            assertEquals(240, reader.height());
            assertEquals("420jpeg", reader.chroma());
            assertFalse(reader.fullRange());
            // when every frame is read
            Optional<RgbFrame> frame;
            while ((frame = reader.next()).isPresent()) {
                frames.add(frame.get());
            }
        }

        // then there are 4, and each is close to the JPEG of the same picture (the JPEG is lossy, so
        // not equal; measured 36.2 dB on all four frames, against 25.7 to 29.8 dB for the next frame; an off-by-one frame, a swapped chroma plane or the wrong range
        // would fall far lower) and closer to its own JPEG than to the next one
        assertEquals(4, frames.size());
        for (int f = 0; f < 4; f++) {
            double same = TestMedia.psnr(frames.get(f).rgb(), TestMedia.treeFrame(f + 1).rgb());
            double next = TestMedia.psnr(frames.get(f).rgb(), TestMedia.treeFrame(f + 2).rgb());
            assertTrue(same > Y4M_VS_JPEG_FLOOR_DB, "frame " + (f + 1) + ": " + same + " dB");
            assertTrue(same > next, "frame " + (f + 1) + ": " + same + " dB vs next frame " + next + " dB");
        }
    }

    private static final double Y4M_VS_JPEG_FLOOR_DB = 34.0;

    @Test
    void fullRangeTagChangesTheMatrix() throws Exception {
        // given a 2x2 grey picture Y = 235, Cb = Cr = 128 in limited and in full range
        byte[] picture = {(byte) 235, (byte) 235, (byte) 235, (byte) 235, (byte) 128, (byte) 128};

        // when each is read, then limited range maps 235 to white and full range keeps 235
        assertEquals(255, firstPixel("YUV4MPEG2 W2 H2 F25:1 C420mpeg2 XCOLORRANGE=LIMITED\n", picture));
        assertEquals(235, firstPixel("YUV4MPEG2 W2 H2 F25:1 C420paldv XCOLORRANGE=FULL\n", picture));
        assertEquals(255, firstPixel("YUV4MPEG2 W2 H2 F25:1\n", picture));
    }

    @Test
    void rejectsStreamsItCannotRead() {
        // then: not a Y4M, 4:4:4 chroma, missing height, oversized, a truncated frame, a bad frame marker
        assertRejected("RIFF....\n", "YUV4MPEG2");
        assertRejected("YUV4MPEG2 W2 H2 C444\n", "C444");
        assertRejected("YUV4MPEG2 W2\n", "lacks W or H");
        assertRejected("YUV4MPEG2 W100000 H2\n", "out of range");
        assertRejected("YUV4MPEG2 W2 H2 C420\nFRAME\n\u0001\u0002", "truncated");
        assertRejected("YUV4MPEG2 W2 H2 C420\nFRAMX\n123456", "FRAME");
    }

    private static int firstPixel(String header, byte[] picture) throws Exception {
        byte[] head = (header + "FRAME\n").getBytes(StandardCharsets.US_ASCII);
        byte[] stream = Arrays.copyOf(head, head.length + picture.length);
        System.arraycopy(picture, 0, stream, head.length, picture.length);
        try (Y4mReader reader = Y4mReader.open(new ByteArrayInputStream(stream))) {
            RgbFrame frame = reader.next().orElseThrow();
            assertTrue(reader.next().isEmpty());
            return frame.rgb()[0] & 0xFF;
        }
    }

    private static void assertRejected(String stream, String messagePart) {
        var e = assertThrows(MediaFormatException.class, () -> {
            try (Y4mReader reader = Y4mReader.open(new ByteArrayInputStream(stream.getBytes(StandardCharsets.ISO_8859_1)))) {
                while (reader.next().isPresent()) {
                    // read to the end
                }
            }
        });
        assertTrue(e.getMessage().contains(messagePart), e.getMessage());
    }
}
