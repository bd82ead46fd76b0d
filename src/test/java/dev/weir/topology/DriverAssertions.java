package dev.weir.topology;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the topology tests read off a {@link TopologyTestDriver}: Weir's metrics and dead-letter headers. */
final class DriverAssertions {

    private DriverAssertions() {
    }

    /** The value of {@code weir-metrics} metric {@code name} of {@code processor}, summed over its tasks. */
    static double metric(TopologyTestDriver driver, String name, String processor) {
        return driver.metrics().entrySet().stream()
                .filter(e -> e.getKey().group().equals("weir-metrics") && e.getKey().name().equals(name)
                        && processor.equals(e.getKey().tags().get("processor")))
                .mapToDouble(e -> ((Number) e.getValue().metricValue()).doubleValue())
                .sum();
    }

    /** A decoder's dead letter for a delta it cannot apply: no picture held for the stream, so it waits for a keyframe. */
    static void assertWaitsForAKeyframe(TestRecord<byte[], byte[]> dead) {
        assertEquals("undecodable-tokens", header(dead, DeadLetterHeaders.REASON));
        assertTrue(header(dead, DeadLetterHeaders.MESSAGE).contains("waiting for a keyframe"), header(dead, DeadLetterHeaders.MESSAGE));
    }

    /** The last value of header {@code key}, which must be present. */
    static String header(TestRecord<byte[], byte[]> record, String key) {
        Header header = record.headers().lastHeader(key);
        assertNotNull(header, "missing header " + key);
        return new String(header.value(), StandardCharsets.UTF_8);
    }
}
