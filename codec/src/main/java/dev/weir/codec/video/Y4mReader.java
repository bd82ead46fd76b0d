package dev.weir.codec.video;

import dev.weir.codec.MediaFormatException;
import dev.weir.codec.video.internals.Yuv420;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Reads YUV4MPEG2 ({@code .y4m}) files, the plain raw-video container ffmpeg reads and writes, as
 * {@link RgbFrame}s.
 *
 * <p>Accepted: 8-bit 4:2:0 ({@code C420jpeg}, {@code C420mpeg2}, {@code C420paldv}, {@code C420}, or
 * no C tag, which the format defines as 4:2:0). The three 4:2:0 sitings differ only by where chroma
 * samples sit; this reader replicates each chroma sample over its 2×2 block for all of them.
 * {@code XCOLORRANGE=FULL} selects BT.601 full range; {@code LIMITED} or no tag selects BT.601
 * limited range (ffmpeg's default). Other chroma layouts and bit depths are rejected.
 */
public final class Y4mReader implements FrameSource {

    private static final int MAX_HEADER = 4096;

    private final InputStream in;
    private final int width;
    private final int height;
    private final boolean fullRange;
    private final String chroma;
    private final byte[] frameBuffer;

    private Y4mReader(InputStream in, int width, int height, boolean fullRange, String chroma) {
        this.in = in;
        this.width = width;
        this.height = height;
        this.fullRange = fullRange;
        this.chroma = chroma;
        this.frameBuffer = new byte[Math.toIntExact(Yuv420.frameBytes(width, height))];
    }

    /**
     * Opens a file and parses its stream header.
     *
     * @throws MediaFormatException when the header is not a YUV4MPEG2 header this reader supports
     */
    public static Y4mReader open(Path file) throws IOException {
        InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        try {
            return open(in);
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    /** Parses the stream header from {@code in}; the reader owns and closes the stream. */
    public static Y4mReader open(InputStream in) throws IOException {
        String header = readLine(in, "stream header");
        if (header == null || !header.startsWith("YUV4MPEG2")) {
            throw new MediaFormatException("not a YUV4MPEG2 stream: the file must start with \"YUV4MPEG2 \"");
        }
        int width = -1;
        int height = -1;
        boolean fullRange = false;
        String chroma = "420jpeg";
        for (String token : header.substring("YUV4MPEG2".length()).trim().split(" +")) {
            if (token.isEmpty()) {
                continue;
            }
            String value = token.substring(1);
            switch (token.charAt(0)) {
                case 'W' -> width = parseSide("W", value);
                case 'H' -> height = parseSide("H", value);
                case 'C' -> chroma = value;
                case 'X' -> {
                    if (value.startsWith("COLORRANGE=")) {
                        String range = value.substring("COLORRANGE=".length());
                        if (!range.equals("FULL") && !range.equals("LIMITED")) {
                            throw new MediaFormatException("unknown Y4M XCOLORRANGE " + range + "; expected FULL or LIMITED");
                        }
                        fullRange = range.equals("FULL");
                    }
                }
                default -> {
                    // F (rate), I (interlacing), A (aspect): not needed to decode pictures.
                }
            }
        }
        if (width < 0 || height < 0) {
            throw new MediaFormatException("Y4M header lacks W or H: " + header);
        }
        RgbFrame.checkSize(width, height);
        if (!chroma.equals("420jpeg") && !chroma.equals("420mpeg2") && !chroma.equals("420paldv") && !chroma.equals("420")) {
            throw new MediaFormatException("Y4M chroma layout C" + chroma
                    + " is not supported; expected 8-bit 4:2:0 (C420jpeg, C420mpeg2, C420paldv or C420). Convert with"
                    + " ffmpeg -i IN -pix_fmt yuv420p OUT.y4m");
        }
        return new Y4mReader(in, width, height, fullRange, chroma);
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /** True for BT.601 full range ({@code XCOLORRANGE=FULL}), false for limited range. */
    public boolean fullRange() {
        return fullRange;
    }

    /** The C tag without its letter, for example {@code 420jpeg}. */
    public String chroma() {
        return chroma;
    }

    @Override
    public Optional<RgbFrame> next() throws IOException {
        String frameHeader = readLine(in, "frame header");
        if (frameHeader == null) {
            return Optional.empty();
        }
        if (!frameHeader.startsWith("FRAME")) {
            throw new MediaFormatException("Y4M frame must start with \"FRAME\", found \""
                    + frameHeader.substring(0, Math.min(16, frameHeader.length())) + "\"");
        }
        int read = in.readNBytes(frameBuffer, 0, frameBuffer.length);
        if (read != frameBuffer.length) {
            throw new MediaFormatException("Y4M stream truncated: a " + width + "x" + height + " 4:2:0 frame needs "
                    + frameBuffer.length + " bytes, " + read + " left");
        }
        return Optional.of(new RgbFrame(width, height, Yuv420.toRgb(frameBuffer, 0, width, height, fullRange)));
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    private static int parseSide(String tag, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new MediaFormatException("Y4M header tag " + tag + " must be a number, found " + value);
        }
    }

    /** A '\n'-terminated ASCII line, null at a clean end of stream. */
    private static String readLine(InputStream in, String what) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != '\n') {
            if (b < 0) {
                if (line.size() == 0) {
                    return null;
                }
                throw new MediaFormatException("Y4M " + what + " truncated");
            }
            if (line.size() >= MAX_HEADER) {
                throw new MediaFormatException("Y4M " + what + " longer than " + MAX_HEADER + " bytes");
            }
            line.write(b);
        }
        return line.toString(StandardCharsets.US_ASCII);
    }
}
