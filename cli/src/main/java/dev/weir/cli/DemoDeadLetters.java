package dev.weir.cli;

import dev.weir.topology.DeadLetterHeaders;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The dead letters of one demo part: its bad records carry one key, and each that comes back brings its reason. */
final class DemoDeadLetters {

    private final String key;
    private final List<String> reasons = new ArrayList<>();

    DemoDeadLetters(String key) {
        this.key = key;
    }

    /** Takes a dead letter; returns whether it was one of this part's bad records (its reason is noted). */
    boolean accept(ConsumerRecord<byte[], byte[]> r) {
        if (r.key() == null || !new String(r.key(), StandardCharsets.UTF_8).equals(key)) {
            return false;
        }
        Header reason = r.headers().lastHeader(DeadLetterHeaders.REASON);
        reasons.add(reason == null ? "?" : new String(reason.value(), StandardCharsets.UTF_8));
        return true;
    }

    /** The reasons of the dead letters taken so far, in arrival order. */
    List<String> reasons() {
        return reasons;
    }
}
