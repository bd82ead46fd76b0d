package dev.weir.topology.internals;

import dev.weir.topology.DeadLetterHeaders;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A dead letter always fits the dead-letter topic: whole when it can, a bounded prefix otherwise, and says so. */
class DeadLettersTest {

    static final int TOPIC_LIMIT = 32 * 1024 * 1024;

    @Test
    void aBadRecordThatFitsIsKeptWhole() {
        // given a small bad record with a header of its own
        byte[] value = "not an Avro event".getBytes(StandardCharsets.UTF_8);
        Headers original = new RecordHeaders().add("trace-id", "t-1".getBytes(StandardCharsets.UTF_8));

        // when it becomes a dead letter
        DeadLetters.Letter letter = DeadLetters.fit("cam".getBytes(StandardCharsets.UTF_8), value, original, reason("not-avro"), TOPIC_LIMIT);

        // then key, value and headers are all there, and nothing says it was cut
        assertArrayEquals(value, letter.value());
        assertEquals("t-1", header(letter.headers(), "trace-id"));
        assertEquals("not-avro", header(letter.headers(), DeadLetterHeaders.REASON));
        assertNull(letter.headers().lastHeader(DeadLetterHeaders.VALUE_TRUNCATED));
    }

    @Test
    void aValueJustUnderTheBrokersLimitBecomesAPrefixWithItsOriginalSize() {
        // given the record of issue #9: 33,553,408 bytes, which the broker accepted, but whose copy plus headers does not fit
        byte[] value = new byte[33_553_408];
        Arrays.fill(value, (byte) 7);

        // when it becomes a dead letter for a topic of the same limit
        DeadLetters.Letter letter = DeadLetters.fit("cam".getBytes(StandardCharsets.UTF_8), value, new RecordHeaders(), reason("not-avro"), TOPIC_LIMIT);

        // then the dead letter carries a 64 KiB prefix, says so, and names the original size
        assertEquals(DeadLetters.PREFIX_BYTES, letter.value().length);
        assertEquals("prefix", header(letter.headers(), DeadLetterHeaders.VALUE_TRUNCATED));
        assertEquals("33553408", header(letter.headers(), DeadLetterHeaders.VALUE_BYTES));
        assertTrue(size(letter) < TOPIC_LIMIT - 1024);
    }

    @Test
    void headersThatAloneDoNotFitAreDroppedAndCounted() {
        // given a bad record whose own headers are larger than the dead-letter topic accepts
        Headers original = new RecordHeaders().add("blob", new byte[200_000]).add("small", new byte[1]);

        // when it becomes a dead letter for a topic of 100 kB
        DeadLetters.Letter letter = DeadLetters.fit(null, new byte[10], original, reason("not-avro"), 100_000);

        // then its headers are left out (two of them, it says), Weir's are there, and the value is kept
        assertNull(letter.headers().lastHeader("blob"));
        assertEquals("2", header(letter.headers(), DeadLetterHeaders.HEADERS_DROPPED));
        assertEquals("not-avro", header(letter.headers(), DeadLetterHeaders.REASON));
        assertEquals(10, letter.value().length);
    }

    @Test
    void whenNoRoomIsLeftTheValueIsDropped() {
        // given a tiny dead-letter limit that Weir's own headers nearly fill
        DeadLetters.Letter letter = DeadLetters.fit(null, new byte[5000], new RecordHeaders(), reason("x".repeat(1000)), 2000);

        // then the value is gone, and the headers say so
        assertEquals(0, letter.value().length);
        assertEquals("dropped", header(letter.headers(), DeadLetterHeaders.VALUE_TRUNCATED));
        assertEquals("5000", header(letter.headers(), DeadLetterHeaders.VALUE_BYTES));
    }

    private static Headers reason(String reason) {
        return new RecordHeaders().add(DeadLetterHeaders.REASON, reason.getBytes(StandardCharsets.UTF_8));
    }

    private static String header(Headers headers, String key) {
        return new String(headers.lastHeader(key).value(), StandardCharsets.UTF_8);
    }

    private static long size(DeadLetters.Letter letter) {
        long n = letter.value().length + (letter.key() == null ? 0 : letter.key().length);
        for (var h : letter.headers()) {
            n += h.key().length() + h.value().length;
        }
        return n;
    }
}
