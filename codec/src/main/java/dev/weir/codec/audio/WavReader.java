package dev.weir.codec.audio;

import dev.weir.codec.MediaFormatException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Reads RIFF/WAVE files: 16-bit PCM ({@code WAVE_FORMAT_PCM}) and 32-bit IEEE float
 * ({@code WAVE_FORMAT_IEEE_FLOAT}), also inside {@code WAVE_FORMAT_EXTENSIBLE}; any rate the codec accepts
 * (8–48 kHz), mono or stereo. Chunks other than {@code fmt } and {@code data} are skipped. Anything else is a
 * {@link MediaFormatException} that says what was found and what is supported.
 */
public final class WavReader {

    /** Largest file read: 256 MiB. */
    public static final long MAX_BYTES = 256L << 20;

    private WavReader() {
    }

    /** Reads a WAV file into one chunk. */
    public static PcmChunk read(Path file) throws IOException {
        long size = Files.size(file);
        if (size > MAX_BYTES) {
            throw new MediaFormatException(file + " is " + size + " bytes; WAV input is limited to " + MAX_BYTES + " bytes");
        }
        try {
            return parse(Files.readAllBytes(file));
        } catch (MediaFormatException e) {
            throw new MediaFormatException(file + ": " + e.getMessage(), e);
        }
    }

    /** Parses the bytes of a WAV file. */
    public static PcmChunk parse(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (bytes.length < 12 || !tag(bytes, 0, "RIFF") || !tag(bytes, 8, "WAVE")) {
            throw new MediaFormatException("not a WAV file: expected a RIFF header with WAVE form type");
        }
        int pos = 12;
        int format = -1;
        int channels = 0;
        int rate = 0;
        int bits = 0;
        while (pos + 8 <= bytes.length) {
            String id = new String(bytes, pos, 4, java.nio.charset.StandardCharsets.ISO_8859_1);
            long length = Integer.toUnsignedLong(in.getInt(pos + 4));
            int body = pos + 8;
            if (id.equals("fmt ")) {
                if (length < 16 || body + 16 > bytes.length) {
                    throw new MediaFormatException("WAV fmt chunk is " + length + " bytes; expected at least 16");
                }
                format = Short.toUnsignedInt(in.getShort(body));
                channels = Short.toUnsignedInt(in.getShort(body + 2));
                rate = in.getInt(body + 4);
                bits = Short.toUnsignedInt(in.getShort(body + 14));
                if (format == 0xFFFE && length >= 40 && body + 26 <= bytes.length) {
                    format = Short.toUnsignedInt(in.getShort(body + 24)); // the sub-format GUID's first two bytes
                }
            } else if (id.equals("data")) {
                if (format < 0) {
                    throw new MediaFormatException("WAV data chunk comes before any fmt chunk");
                }
                long available = bytes.length - body;
                int dataLength = (int) Math.min(length, available); // tolerate a streamed header's oversize length
                return chunk(format, channels, rate, bits, Arrays.copyOfRange(bytes, body, body + dataLength));
            }
            pos = (int) Math.min(bytes.length, body + length + (length & 1));
        }
        throw new MediaFormatException(format < 0 ? "WAV file has no fmt chunk" : "WAV file has no data chunk");
    }

    private static PcmChunk chunk(int format, int channels, int rate, int bits, byte[] data) {
        SampleFormat sampleFormat;
        if (format == 1 && bits == 16) {
            sampleFormat = SampleFormat.PCM_S16LE;
        } else if (format == 3 && bits == 32) {
            sampleFormat = SampleFormat.F32LE;
        } else {
            throw new MediaFormatException("WAV sample format " + format + " with " + bits + " bits is not supported;"
                    + " expected 16-bit PCM (format 1) or 32-bit IEEE float (format 3)");
        }
        int frame = sampleFormat.bytesPerSample() * Math.max(1, channels);
        byte[] whole = data.length % frame == 0 ? data : Arrays.copyOf(data, data.length - data.length % frame);
        return PcmChunk.of(rate, channels, sampleFormat, whole, (int) Math.min(Integer.MAX_VALUE - 8, MAX_BYTES));
    }

    private static boolean tag(byte[] b, int at, String tag) {
        for (int i = 0; i < 4; i++) {
            if (b[at + i] != tag.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** Writes a chunk as a WAV file (16-bit PCM or 32-bit float, as the chunk is). */
    public static void write(Path file, PcmChunk chunk) throws IOException {
        Files.write(file, bytes(chunk));
    }

    /** A chunk as the bytes of a WAV file (16-bit PCM or 32-bit float, as the chunk is). */
    public static byte[] bytes(PcmChunk chunk) {
        int bytesPerSample = chunk.format().bytesPerSample();
        ByteBuffer out = ByteBuffer.allocate(44 + chunk.data().length).order(ByteOrder.LITTLE_ENDIAN);
        out.put("RIFF".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(36 + chunk.data().length)
                .put("WAVE".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                .put("fmt ".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(16)
                .putShort((short) (chunk.format() == SampleFormat.F32LE ? 3 : 1)).putShort((short) chunk.channels())
                .putInt(chunk.sampleRate()).putInt(chunk.sampleRate() * chunk.channels() * bytesPerSample)
                .putShort((short) (chunk.channels() * bytesPerSample)).putShort((short) (8 * bytesPerSample))
                .put("data".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(chunk.data().length)
                .put(chunk.data());
        return out.array();
    }
}
