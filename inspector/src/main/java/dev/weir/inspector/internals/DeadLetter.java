package dev.weir.inspector.internals;

import dev.weir.topology.DeadLetterHeaders;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

import java.nio.charset.StandardCharsets;

/**
 * One dead letter as the page lists it: whose it was, why it was set aside, and where it came from (its headers;
 * never its value, which may be anything).
 *
 * @param key             the bad record's key (its stream id, as text), or empty
 * @param modality        the modality whose topic it came from, or empty when unknown
 * @param reason          {@code weir.error.reason}
 * @param message         {@code weir.error.message}
 * @param processor       {@code weir.error.processor}
 * @param sourceTopic     {@code weir.source.topic}
 * @param sourcePartition {@code weir.source.partition}
 * @param sourceOffset    {@code weir.source.offset}
 * @param timestamp       the dead letter's record time, ms since the epoch
 */
public record DeadLetter(String key, String modality, String reason, String message, String processor, String sourceTopic,
                         String sourcePartition, String sourceOffset, long timestamp) {

    /** Longest header value kept (a message can be long). */
    static final int MAX_TEXT = 500;

    /** The dead letter of {@code record}; {@code modalityOfTopic} names the modality of a source topic. */
    public static DeadLetter of(ConsumerRecord<byte[], byte[]> record, java.util.function.Function<String, String> modalityOfTopic) {
        String source = header(record, DeadLetterHeaders.SOURCE_TOPIC);
        return new DeadLetter(record.key() == null ? "" : clip(new String(record.key(), StandardCharsets.UTF_8)),
                modalityOfTopic.apply(source), header(record, DeadLetterHeaders.REASON), header(record, DeadLetterHeaders.MESSAGE),
                header(record, DeadLetterHeaders.PROCESSOR), source, header(record, DeadLetterHeaders.SOURCE_PARTITION),
                header(record, DeadLetterHeaders.SOURCE_OFFSET), record.timestamp());
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header h = record.headers().lastHeader(name);
        return h == null || h.value() == null ? "" : clip(new String(h.value(), StandardCharsets.UTF_8));
    }

    private static String clip(String s) {
        return s.length() <= MAX_TEXT ? s : s.substring(0, MAX_TEXT) + "…";
    }
}
