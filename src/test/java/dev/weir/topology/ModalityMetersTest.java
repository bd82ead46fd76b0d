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

    /** Kafka's metrics of the instance as the meters read them: one object per task's sensor, as Kafka Streams has them. */
    private final Map<MetricName, Counted> kafka = new LinkedHashMap<>();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ModalityMeters meters = new ModalityMeters(() -> kafka, List.of(new VideoModality()), "weir-test");

    @Test
    void aTaskThatMovesAwayOrComesBackNeverTakesItsCountsFromTheCounter() {
        // given an instance holding tasks 0_0 and 0_1, which emitted 500 tokens each of 1,000
        meters.bindTo(registry);
        count("0_0", 500, 1_000);
        count("0_1", 500, 1_000);
        assertEquals(1_000, emitted());

        // when task 0_1 moves to another instance (its sensors go) while 0_0 emits 100 more
        kafka.keySet().removeIf(name -> name.tags().get("task-id").equals("0_1"));
        count("0_0", 600, 1_200);

        // then the counter keeps what 0_1 emitted here: 1,100, not 600
        assertEquals(1_100, emitted());

        // when 0_1 comes back (its sensors are made again, from zero) and emits 50
        restart("0_1");
        count("0_1", 50, 100);
        assertEquals(1_150, emitted());

        // when 0_0's sensors are made again between two readings (closed and reopened), even one that has already
        // counted past the old value by the next reading
        restart("0_0");
        count("0_0", 700, 1_400);

        // then what the old ones had counted stays too, and the ratio is of everything this instance did
        assertEquals(600 + 700 + 500 + 50, emitted());
        assertEquals((600.0 + 700 + 500 + 50) / (1_200 + 1_400 + 1_000 + 100),
                registry.get("weir.token.ratio").tag("modality", "video").gauge().value(), 1e-12);
    }

    @Test
    void theDeviceUseOfTheTasksHeldNowIsAGaugePerModality() {
        // given an instance whose two video tasks hold 3 and 2 streams on the device, and one fell back to jvm
        meters.bindTo(registry);
        gauge("0_0", "device-streams", 3);
        gauge("0_1", "device-streams", 2);
        gauge("0_0", "device-bytes", 3_000);
        gauge("0_1", "device-bytes", 2_000);
        gauge("0_0", "device-fallbacks", 1);
        meters.refresh();

        // then the view shows the sums, as gauges of the video modality
        assertEquals(5, registry.get("weir.device.streams").tag("modality", "video").gauge().value());
        assertEquals(5_000, registry.get("weir.device.bytes").tag("modality", "video").gauge().value());
        assertEquals(1, registry.get("weir.device.fallbacks").tag("modality", "video").gauge().value());

        // when a task moves away, then its streams are no longer this instance's (a gauge goes down)
        kafka.keySet().removeIf(name -> name.tags().get("task-id").equals("0_1"));
        meters.refresh();
        assertEquals(3, registry.get("weir.device.streams").tag("modality", "video").gauge().value());
    }

    private void gauge(String task, String metric, double value) {
        kafka.computeIfAbsent(name(task, metric), Counted::new).value = value;
    }

    private double emitted() {
        meters.refresh();
        return registry.get("weir.tokens.emitted").tag("modality", "video").functionCounter().count();
    }

    /** Task {@code task}'s sensors now read these totals (made on first use, as a task's are). */
    private void count(String task, double emitted, double full) {
        kafka.computeIfAbsent(name(task, "tokens-emitted-total"), Counted::new).value = emitted;
        kafka.computeIfAbsent(name(task, "tokens-full-total"), Counted::new).value = full;
    }

    /** Task {@code task}'s sensors are removed and made again: new metric objects under the same names, at zero. */
    private void restart(String task) {
        for (String metric : List.of("tokens-emitted-total", "tokens-full-total")) {
            kafka.put(name(task, metric), new Counted(name(task, metric)));
        }
    }

    private static MetricName name(String task, String metric) {
        return new MetricName(metric, "weir-metrics", "", Map.of("task-id", task, "processor", "video-tokenizer", "backend", "jvm"));
    }

    /** A cumulative sensor's metric, as Kafka's {@code KafkaMetric} is: one object for the sensor's life. */
    private static final class Counted implements Metric {
        private final MetricName name;
        double value;

        Counted(MetricName name) {
            this.name = name;
        }

        @Override
        public MetricName metricName() {
            return name;
        }

        @Override
        public Object metricValue() {
            return value;
        }
    }
}
