package dev.weir.topology.internals;

import dev.weir.topology.DeadLetterHeaders;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Makes dead-letter records that always fit: a dead letter is the bad record's key, value and headers plus
 * Weir's own headers, and a bad record can be as large as anything the broker accepted, so its copy can be
 * larger than what the producer or the dead-letter topic accept. Under exactly-once a record the broker or
 * the producer refuses aborts the transaction, and the task would fail on the same record after every
 * restart: the poison pill this class exists to prevent.
 *
 * <p>Policy: keep the whole value when the record fits {@code maxBytes} with a margin for the batch
 * framing and compression; otherwise keep a prefix of at most {@value #PREFIX_BYTES} bytes, or none, and
 * say so in {@link DeadLetterHeaders#VALUE_TRUNCATED} with the original size in
 * {@link DeadLetterHeaders#VALUE_BYTES}. The bad record's own headers are dropped when they alone would
 * not fit ({@link DeadLetterHeaders#HEADERS_DROPPED}).
 */
public final class DeadLetters {

    /** The largest prefix of a value kept when the whole value does not fit. */
    public static final int PREFIX_BYTES = 64 * 1024;
    /** Room for the record batch header and the record's own framing. */
    static final int FRAMING_BYTES = 1024;

    private DeadLetters() {
    }

    /** What a dead letter carries: key, value and headers. */
    public record Letter(byte[] key, byte[] value, Headers headers) {
    }

    /**
     * The dead letter of a bad record with {@code key}, {@code value} and {@code originalHeaders}, with
     * {@code weirHeaders} (the reason, the source) added, fitted into {@code maxBytes}.
     */
    public static Letter fit(byte[] key, byte[] value, Headers originalHeaders, Headers weirHeaders, int maxBytes) {
        long budget = budget(maxBytes);
        byte[] k = key == null ? null : key.length > PREFIX_BYTES ? Arrays.copyOf(key, PREFIX_BYTES) : key;
        Headers headers = new RecordHeaders();
        long weirBytes = bytes(weirHeaders) + 256; // and the truncation headers below
        long originalBytes = bytes(originalHeaders);
        int dropped = 0;
        if (length(k) + weirBytes + originalBytes <= budget) {
            originalHeaders.forEach(headers::add);
        } else {
            dropped = originalHeaders.toArray().length;
        }
        weirHeaders.forEach(h -> {
            headers.remove(h.key());
            headers.add(h);
        });
        if (dropped > 0) {
            put(headers, DeadLetterHeaders.HEADERS_DROPPED, Integer.toString(dropped));
        }
        long room = budget - length(k) - bytes(headers) - 256;
        byte[] v = value;
        if (value != null && value.length > room) {
            int keep = (int) Math.max(0, Math.min(PREFIX_BYTES, room));
            v = Arrays.copyOf(value, keep);
            put(headers, DeadLetterHeaders.VALUE_TRUNCATED, keep > 0 ? "prefix" : "dropped");
            put(headers, DeadLetterHeaders.VALUE_BYTES, Integer.toString(value.length));
        }
        return new Letter(k, v, headers);
    }

    /**
     * The bytes a record may take: {@code maxBytes} less the batch framing and what lz4 may add to data it
     * cannot compress (at most 1/255 of it, rounded up generously to 1/128).
     */
    static long budget(int maxBytes) {
        return (long) maxBytes - FRAMING_BYTES - maxBytes / 128;
    }

    private static long bytes(Headers headers) {
        long sum = 0;
        for (Header h : headers) {
            sum += h.key().getBytes(StandardCharsets.UTF_8).length + length(h.value()) + 10;
        }
        return sum;
    }

    private static int length(byte[] bytes) {
        return bytes == null ? 0 : bytes.length;
    }

    static void put(Headers headers, String key, String value) {
        headers.remove(key);
        headers.add(key, value.getBytes(StandardCharsets.UTF_8));
    }
}
