package dev.weir.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.junit.jupiter.api.Test;

import dev.weir.topology.internals.ModalityMeters;
import dev.weir.topology.video.VideoModality;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** The per-modality counters count what this instance did, whichever tasks it holds now: they never go down. */
class ModalityMetersTest {

    /** Kafka's metrics of the instance as the meters read them: per task (and thread), as Kafka Streams tags them. */
    private final Map<MetricName, Metric> kafka = new LinkedHashMap<>();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ModalityMeters meters = new ModalityMeters(() -> kafka, List.of(new VideoModality()), "weir-test");

    @Test
    void aTaskThatMovesAwayOrComesBackNeverTakesItsCountsFromTheCounter() {
        // given an instance holding tasks 0_0 and 0_1, which emitted 500 tokens each of 2,000
        meters.bindTo(registry);
        set("0_0", "tokens-emitted-total", 500);
        set("0_1", "tokens-emitted-total", 500);
        set("0_0", "tokens-full-total", 1_000);
        set("0_1", "tokens-full-total", 1_000);
        assertEquals(1_000, emitted());

        // when task 0_1 moves to another instance (its sensors go) while 0_0 emits 100 more
        remove("0_1");
        set("0_0", "tokens-emitted-total", 600);
        set("0_0", "tokens-full-total", 1_200);

        // then the counter keeps what 0_1 emitted here: 1,100, not 600
        assertEquals(1_100, emitted());

        // when 0_1 comes back (its sensors start again from zero) and emits 50
        set("0_1", "tokens-emitted-total", 50);
        set("0_1", "tokens-full-total", 100);
        assertEquals(1_150, emitted());

        // when 0_0's sensor starts again in place between two readings (closed and reopened on the same thread)
        set("0_0", "tokens-emitted-total", 10);
        set("0_0", "tokens-full-total", 20);

        // then what it had counted stays too, and the ratio is of everything this instance did
        assertEquals(600 + 10 + 500 + 50, emitted());
        assertEquals((600.0 + 10 + 500 + 50) / (1_200 + 20 + 1_000 + 100),
                registry.get("weir.token.ratio").tag("modality", "video").gauge().value(), 1e-12);
    }

    private double emitted() {
        meters.refresh();
        return registry.get("weir.tokens.emitted").tag("modality", "video").functionCounter().count();
    }

    private void set(String task, String metric, double value) {
        MetricName name = new MetricName(metric, "weir-metrics", "", Map.of("thread-id", "weir-test-StreamThread-1",
                "task-id", task, "processor", "video-tokenizer", "backend", "jvm"));
        kafka.put(name, new Metric() {
            @Override
            public MetricName metricName() {
                return name;
            }

            @Override
            public Object metricValue() {
                return value;
            }
        });
    }

    private void remove(String task) {
        kafka.keySet().removeIf(name -> name.tags().get("task-id").equals(task));
    }
}
