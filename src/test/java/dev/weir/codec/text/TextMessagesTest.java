package dev.weir.codec.text;

import dev.weir.codec.MediaFormatException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Input checks the topology uses before the codec: strict UTF-8, size limits, line splitting. */
class TextMessagesTest {

    @Test
    void validUtf8DecodesToTheSameText() {
        String text = "naïve ☕ \uD83D\uDE00";
        assertEquals(text, TextMessages.decodeUtf8Strict(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void theFirstInvalidSequenceIsNamedByItsByteOffset() {
        // given a bad continuation byte at 2, an overlong '/' at 0, a truncated euro sign at 3, a lone surrogate at 1
        byte[] badContinuation = {'a', 'b', (byte) 0xC3, '(', 'z'};
        byte[] overlong = {(byte) 0xC0, (byte) 0xAF};
        byte[] truncated = {'a', 'b', 'c', (byte) 0xE2, (byte) 0x82};
        byte[] surrogate = {'x', (byte) 0xED, (byte) 0xA0, (byte) 0x80};

        // then each is refused, naming the offset of the first invalid sequence
        assertOffset(2, badContinuation);
        assertOffset(0, overlong);
        assertOffset(3, truncated);
        assertOffset(1, surrogate);
    }

    @Test
    void sizesAboveTheLimitAreRefusedNamingBoth() {
        TextMessages.checkSize(10, 10);
        MediaFormatException e = assertThrows(MediaFormatException.class, () -> TextMessages.checkSize(11, 10));
        assertTrue(e.getMessage().contains("11 bytes exceeds the limit of 10"), e.getMessage());
        assertEquals(8, TextMessages.utf8Length("a€\uD83D\uDE00", 100));
        assertEquals(-1, TextMessages.utf8Length("a\uD83D", 100));
    }

    @Test
    void linesKeepCarriageReturnsAndStartNoMessageAfterTheLastLineEnd() {
        assertEquals(List.of("a\r", "", "b"), TextMessages.lines("a\r\n\nb\n"));
        assertEquals(List.of("a", ""), TextMessages.lines("a\n\n"));
        assertEquals(List.of(), TextMessages.lines(""));
    }

    private static void assertOffset(int offset, byte[] bytes) {
        MediaFormatException e = assertThrows(MediaFormatException.class, () -> TextMessages.decodeUtf8Strict(bytes));
        assertTrue(e.getMessage().contains("at byte offset " + offset + " "), e.getMessage());
    }
}
