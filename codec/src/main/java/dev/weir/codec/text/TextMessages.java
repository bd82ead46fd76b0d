package dev.weir.codec.text;

import dev.weir.codec.MediaFormatException;
import dev.weir.codec.MediaTooLargeException;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Checks and splits for text input, shared by the topology, the evaluation and the codec. */
public final class TextMessages {

    private TextMessages() {
    }

    /**
     * Decodes {@code bytes} as UTF-8, refusing anything malformed (no replacement characters).
     *
     * @throws MediaFormatException naming the byte offset of the first invalid sequence
     */
    public static String decodeUtf8Strict(byte[] bytes) {
        return decodeUtf8Strict(bytes, 0, bytes.length);
    }

    /** {@link #decodeUtf8Strict(byte[])} of {@code length} bytes from {@code offset}; offsets in errors count from it. */
    public static String decodeUtf8Strict(byte[] bytes, int offset, int length) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes, offset, length);
        CharBuffer out = CharBuffer.allocate(length);
        CoderResult result = decoder.decode(in, out, true);
        if (result.isUnderflow()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            int at = in.position() - offset;
            throw new MediaFormatException("text is not valid UTF-8: invalid " + result.length() + "-byte sequence at byte offset "
                    + at + " (0x" + hex(bytes, in.position(), result.length()) + ")");
        }
        if (!result.isUnderflow()) {
            try {
                result.throwException();
            } catch (CharacterCodingException e) {
                throw new MediaFormatException("text is not valid UTF-8: " + e);
            }
        }
        return out.flip().toString();
    }

    /**
     * Refuses a message of more than {@code maxBytes} UTF-8 bytes, before anything is allocated for it.
     *
     * @param utf8Bytes the message's size in bytes (for example the length of the producer's byte array)
     * @throws MediaTooLargeException naming both sizes
     */
    public static void checkSize(long utf8Bytes, int maxBytes) {
        if (utf8Bytes > maxBytes) {
            throw new MediaTooLargeException("text message of " + utf8Bytes + " bytes exceeds the limit of " + maxBytes
                    + " bytes");
        }
    }

    /**
     * The UTF-8 size of {@code text}, or −1 when it holds an unpaired surrogate (not encodable), counting
     * no further than {@code limit + 1} bytes.
     */
    public static long utf8Length(String text, long limit) {
        long bytes = 0;
        int n = text.length();
        for (int i = 0; i < n && bytes <= limit; i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes++;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c)) {
                if (i + 1 >= n || !Character.isLowSurrogate(text.charAt(i + 1))) {
                    return -1;
                }
                bytes += 4;
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return -1;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    /**
     * The lines of {@code text} as messages: split at {@code '\n'}, which is not part of the message; a
     * {@code '\r'} before it stays in the message (so CRLF round-trips). A final line end starts no empty
     * message.
     */
    public static List<String> lines(String text) {
        List<String> lines = new ArrayList<>();
        int start = 0;
        for (int i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', start)) {
            lines.add(text.substring(start, i));
            start = i + 1;
        }
        if (start < text.length()) {
            lines.add(text.substring(start));
        }
        return lines;
    }

    /**
     * The words the text codec works on (its templates' positions, a field's {@code newVariables} index): runs of
     * blanks followed by everything up to the next blank that follows a non-space character; concatenated they are
     * {@code text}. None for the empty string. See docs/text.md.
     *
     * @throws MediaFormatException when {@code text} holds an unpaired UTF-16 surrogate
     */
    public static String[] words(String text) {
        return dev.weir.codec.text.internals.Words.split(text);
    }

    private static String hex(byte[] bytes, int from, int length) {
        StringBuilder s = new StringBuilder();
        for (int i = from; i < Math.min(bytes.length, from + Math.max(1, length)); i++) {
            s.append(String.format("%02x", bytes[i] & 0xff));
        }
        return s.toString();
    }
}
