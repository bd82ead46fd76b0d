package dev.weir.codec.video;

import dev.weir.codec.video.PixelFormat;
import dev.weir.codec.MediaFormatException;
import com.sun.management.ThreadMXBean;
import dev.weir.kernels.PatchGrid;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.zip.CRC32;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PixelFormatDecoderTest {

    @Test
    void anRgbFrameFromABufferIsCopiedOnceAndLeavesTheBufferAsItWas() {
        // given an Avro-style buffer holding a 640x480 RGB24 frame
        byte[] pixels = new byte[640 * 480 * 3];
        Arrays.fill(pixels, (byte) 7);
        ByteBuffer data = ByteBuffer.wrap(pixels);
        PixelFormatDecoder.decode(PixelFormat.RGB24, 640, 480, data); // loaded and compiled before measuring
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();

        // when it is decoded
        long before = threads.getCurrentThreadAllocatedBytes();
        RgbFrame frame = PixelFormatDecoder.decode(PixelFormat.RGB24, 640, 480, data);
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        // then the picture is a copy of its own (one frame of allocation, not two), and the buffer is untouched
        assertArrayEquals(pixels, frame.rgb());
        assertTrue(frame.rgb() != pixels, "the picture does not share the event's array");
        assertTrue(allocated < pixels.length * 1.1, "allocated " + allocated + " B for a frame of " + pixels.length + " B");
        assertEquals(0, data.position());
    }

    @Test
    void rgb24IsCopiedAsIs() {
        // given a 2x1 RGB24 picture: red, then blue
        byte[] data = {(byte) 255, 0, 0, 0, 0, (byte) 255};

        // when it is decoded
        RgbFrame frame = PixelFormatDecoder.decode(PixelFormat.RGB24, 2, 1, data);

        // then the pixels are unchanged and the frame does not share the caller's array
        assertArrayEquals(data, frame.rgb());
        data[0] = 1;
        assertEquals((byte) 255, frame.rgb()[0]);
    }

    @Test
    void byteBufferInputIsReadFromItsPositionWithoutMovingIt() {
        // given a GRAY8 picture inside a larger buffer, as Avro may hand it over (a slice with an offset)
        ByteBuffer backing = ByteBuffer.wrap(new byte[]{9, 9, 10, 20, 30, 40, 9});
        ByteBuffer data = backing.position(2).limit(6).slice();

        // when it is decoded
        RgbFrame frame = PixelFormatDecoder.decode(PixelFormat.GRAY8, 2, 2, data);

        // then only the 4 picture bytes are used and the buffer is untouched; a wrong length is refused
        assertEquals(10, frame.rgb()[0]);
        assertEquals(40, frame.rgb()[9]);
        assertEquals(0, data.position());
        assertThrows(MediaFormatException.class, () -> PixelFormatDecoder.decode(PixelFormat.GRAY8, 3, 2, data));
    }

    @Test
    void gray8IsReplicatedToThreeChannels() {
        // given a 3x1 grey ramp
        byte[] data = {0, (byte) 128, (byte) 255};

        // when it is decoded
        RgbFrame frame = PixelFormatDecoder.decode(PixelFormat.GRAY8, 3, 1, data);

        // then each pixel has R = G = B = the grey level
        assertArrayEquals(new byte[]{0, 0, 0, (byte) 128, (byte) 128, (byte) 128, (byte) 255, (byte) 255, (byte) 255},
                frame.rgb());
    }

    @Test
    void i420DecodesKnownBt601LimitedRangeColours() {
        // given a 4x2 I420 picture whose left 2x2 block is pure red and right 2x2 block is pure blue, in
        // BT.601 limited range (red: Y 81, Cb 90, Cr 240; blue: Y 41, Cb 240, Cr 110, from the BT.601 matrix)
        byte[] y = {81, 81, 41, 41, 81, 81, 41, 41};
        byte[] u = {90, (byte) 240};
        byte[] v = {(byte) 240, 110};
        byte[] data = ByteBuffer.allocate(12).put(y).put(u).put(v).array();

        // when it is decoded
        RgbFrame frame = PixelFormatDecoder.decode(PixelFormat.I420, 4, 2, data);

        // then the left pixels are red and the right pixels blue, within rounding of the published coefficients
        for (int row = 0; row < 2; row++) {
            assertPixel(frame, 0, row, 255, 0, 0);
            assertPixel(frame, 1, row, 255, 0, 0);
            assertPixel(frame, 2, row, 0, 0, 255);
            assertPixel(frame, 3, row, 0, 0, 255);
        }
    }

    @Test
    void i420WithOddSizeRoundsChromaUp() {
        // given a 3x3 mid-grey I420 picture: 9 luma bytes and 2x2 chroma planes
        byte[] data = new byte[9 + 4 + 4];
        Arrays.fill(data, 0, 9, (byte) 126);
        Arrays.fill(data, 9, data.length, (byte) 128);

        // when it is decoded
        RgbFrame frame = PixelFormatDecoder.decode(PixelFormat.I420, 3, 3, data);

        // then every pixel is the grey 1.164·(126−16) ≈ 128
        for (int k = 0; k < frame.rgb().length; k++) {
            assertEquals(128, frame.rgb()[k] & 0xFF, 1);
        }
    }

    @Test
    void pngDecodesLosslessly() throws Exception {
        // given the chelsea photo (PNG) and its pixels re-encoded by ImageIO as a fresh PNG
        RgbFrame original = PixelFormatDecoder.decode(PixelFormat.PNG, 451, 300, TestMedia.bytes(TestMedia.CHELSEA_PNG));
        BufferedImage image = new BufferedImage(451, 300, BufferedImage.TYPE_INT_RGB);
        for (int yy = 0; yy < 300; yy++) {
            for (int x = 0; x < 451; x++) {
                int o = (yy * 451 + x) * 3;
                image.setRGB(x, yy, (original.rgb()[o] & 0xFF) << 16 | (original.rgb()[o + 1] & 0xFF) << 8
                        | (original.rgb()[o + 2] & 0xFF));
            }
        }
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(image, "png", png);

        // when the re-encoded file is decoded
        RgbFrame again = PixelFormatDecoder.decode(PixelFormat.PNG, 451, 300, png.toByteArray());

        // then the pixels survive exactly, and the photo is not a flat image
        assertArrayEquals(original.rgb(), again.rgb());
        assertTrue(distinctValues(original.rgb()) > 200);
    }

    @Test
    void jpegDecodesToItsDeclaredSize() {
        // given a real JPEG frame of the tree clip
        byte[] jpeg = TestMedia.bytes(TestMedia.treeJpeg(1));

        // when it is decoded
        RgbFrame frame = PixelFormatDecoder.decode(PixelFormat.JPEG, 320, 240, jpeg);

        // then it has the declared size and real content (agreement with the lossless .y4m is in Y4mReaderTest)
        assertEquals(320 * 240 * 3, frame.rgb().length);
        assertTrue(distinctValues(frame.rgb()) > 100);
    }

    @Test
    void rejectsWrongLengths() {
        // given raw pictures one byte short
        // then each is rejected with the expected length in the message
        var rgb = assertThrows(MediaFormatException.class,
                () -> PixelFormatDecoder.decode(PixelFormat.RGB24, 4, 4, new byte[47]));
        assertTrue(rgb.getMessage().contains("expected 48"), rgb.getMessage());
        var gray = assertThrows(MediaFormatException.class,
                () -> PixelFormatDecoder.decode(PixelFormat.GRAY8, 4, 4, new byte[15]));
        assertTrue(gray.getMessage().contains("expected 16"), gray.getMessage());
        var i420 = assertThrows(MediaFormatException.class,
                () -> PixelFormatDecoder.decode(PixelFormat.I420, 3, 3, new byte[9 + 2]));
        assertTrue(i420.getMessage().contains("expected 17"), i420.getMessage());
    }

    @Test
    void rejectsSizesOutOfRangeBeforeAllocating() {
        // given declared sizes of zero, negative and above MAX_SIDE with tiny data
        // then each is rejected by the size check (an allocation of 3·w·h bytes would not even fit an int)
        for (int[] size : new int[][]{{0, 10}, {10, -1}, {PatchGrid.MAX_SIDE + 1, 10}, {100_000, 100_000}}) {
            for (PixelFormat format : PixelFormat.values()) {
                var e = assertThrows(MediaFormatException.class,
                        () -> PixelFormatDecoder.decode(format, size[0], size[1], new byte[16]));
                assertTrue(e.getMessage().contains("out of range"), e.getMessage());
            }
        }
    }

    @Test
    void rejectsJpegWhoseHeaderDeclaresAnotherSize() {
        // given a 320x240 JPEG declared as 640x480
        byte[] jpeg = TestMedia.bytes(TestMedia.treeJpeg(1));

        // when it is decoded, then the mismatch is named
        var e = assertThrows(MediaFormatException.class,
                () -> PixelFormatDecoder.decode(PixelFormat.JPEG, 640, 480, jpeg));
        assertTrue(e.getMessage().contains("declares 320x240") && e.getMessage().contains("640x480"), e.getMessage());
    }

    @Test
    void rejectsOversizedPngHeaderWithoutDecoding() {
        // given a PNG that is only a signature and an IHDR chunk declaring 20000x20000: there are no pixels,
        // so a decoder that went past the header would fail differently (no IDAT) or allocate 1.2 GB
        byte[] png = pngHeaderOnly(20_000, 20_000);

        // when it is decoded with the size it declares
        var e = assertThrows(MediaFormatException.class,
                () -> PixelFormatDecoder.decode(PixelFormat.PNG, 20_000, 20_000, png));
        // then the declared frame size is rejected first; and declared within range, the header is what fails
        assertTrue(e.getMessage().contains("out of range"), e.getMessage());
        var header = assertThrows(MediaFormatException.class,
                () -> PixelFormatDecoder.decode(PixelFormat.PNG, 8000, 8000, png));
        assertTrue(header.getMessage().contains("header declares 20000x20000") && header.getMessage().contains("not decoded"),
                header.getMessage());
    }

    @Test
    void rejectsGarbageAndTruncatedImages() {
        // given random bytes, a PNG labelled JPEG, and a JPEG cut in half
        byte[] garbage = new byte[1000];
        new java.util.Random(7).nextBytes(garbage);
        byte[] png = TestMedia.bytes(TestMedia.CHELSEA_PNG);
        byte[] jpeg = TestMedia.bytes(TestMedia.treeJpeg(1));
        byte[] truncated = Arrays.copyOf(jpeg, jpeg.length / 2);
        byte[] headerOnlyGarbage = Arrays.copyOf(new byte[]{(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, 0x00, 0x13}, 64);

        // then each is rejected with a typed exception, not an ImageIO one
        assertThrows(MediaFormatException.class, () -> PixelFormatDecoder.decode(PixelFormat.JPEG, 320, 240, garbage));
        assertThrows(MediaFormatException.class, () -> PixelFormatDecoder.decode(PixelFormat.PNG, 320, 240, garbage));
        var mislabelled = assertThrows(MediaFormatException.class,
                () -> PixelFormatDecoder.decode(PixelFormat.JPEG, 451, 300, png));
        assertTrue(mislabelled.getMessage().contains("PNG signature"), mislabelled.getMessage());
        var cut = assertThrows(MediaFormatException.class,
                () -> PixelFormatDecoder.decode(PixelFormat.JPEG, 320, 240, truncated));
        assertTrue(cut.getMessage().contains("corrupt") || cut.getMessage().contains("cannot be decoded"), cut.getMessage());
        assertThrows(MediaFormatException.class, () -> PixelFormatDecoder.decode(PixelFormat.JPEG, 320, 240, headerOnlyGarbage));
        assertThrows(MediaFormatException.class, () -> PixelFormatDecoder.decode(PixelFormat.JPEG, 320, 240, (byte[]) null));
    }

    private static void assertPixel(RgbFrame f, int x, int y, int r, int g, int b) {
        int o = (y * f.width() + x) * 3;
        String where = "pixel (" + x + "," + y + ")";
        assertEquals(r, f.rgb()[o] & 0xFF, 2, where + " R");
        assertEquals(g, f.rgb()[o + 1] & 0xFF, 2, where + " G");
        assertEquals(b, f.rgb()[o + 2] & 0xFF, 2, where + " B");
    }

    private static int distinctValues(byte[] data) {
        boolean[] seen = new boolean[256];
        int n = 0;
        for (byte b : data) {
            if (!seen[b & 0xFF]) {
                seen[b & 0xFF] = true;
                n++;
            }
        }
        return n;
    }

    /** PNG signature + IHDR (8-bit RGB) + IEND, no image data. */
    private static byte[] pngHeaderOnly(int width, int height) {
        ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(width).putInt(height).put((byte) 8).put((byte) 2)
                .put((byte) 0).put((byte) 0).put((byte) 0);
        ByteBuffer out = ByteBuffer.allocate(8 + 25 + 12);
        out.put(new byte[]{(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        chunk(out, "IHDR", ihdr.array());
        chunk(out, "IEND", new byte[0]);
        return out.array();
    }

    private static void chunk(ByteBuffer out, String type, byte[] data) {
        out.putInt(data.length);
        byte[] t = type.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        out.put(t).put(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        out.putInt((int) crc.getValue());
    }
}
