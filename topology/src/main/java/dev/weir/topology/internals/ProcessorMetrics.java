package dev.weir.topology.internals;

import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.metrics.stats.Avg;
import org.apache.kafka.common.metrics.stats.CumulativeSum;
import org.apache.kafka.common.metrics.stats.Max;
import org.apache.kafka.common.metrics.stats.Rate;
import org.apache.kafka.common.metrics.stats.Value;
import org.apache.kafka.streams.StreamsMetrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Weir's per-task processor metrics, registered with Kafka Streams so they appear beside its own in
 * {@code KafkaStreams#metrics()} and over JMX: group {@value #GROUP}, tags {@code task-id} and
 * {@code processor} (and {@code backend} on the metrics of the work done on kernels), each as {@code NAME-total} (a sum) and {@code NAME-rate} (per second),
 * as {@code NAME} alone for a {@link #value value} that is set rather than added up, or as {@code NAME-avg},
 * {@code NAME-max} and {@code NAME-total} for a {@link #time time} in milliseconds (as Kafka Streams' own
 * {@code process-latency-avg}).
 */
public final class ProcessorMetrics implements AutoCloseable {

    public static final String GROUP = "weir-metrics";

    private final StreamsMetrics metrics;
    private final Map<String, String> tags;
    private final String prefix;
    private final List<Sensor> sensors = new ArrayList<>();

    public ProcessorMetrics(StreamsMetrics metrics, String taskId, String processor) {
        this.metrics = metrics;
        this.tags = new LinkedHashMap<>();
        tags.put("task-id", taskId);
        tags.put("processor", processor);
        this.prefix = "weir." + taskId + "." + processor + ".";
    }

    /**
     * Adds a tag to the metrics created from now on, for example the kernel backend a processor computes
     * on, so dashboards can tell a GPU-backed instance from a CPU one.
     */
    public ProcessorMetrics tag(String key, String value) {
        tags.put(key, value);
        return this;
    }

    /** A sensor whose recorded values are summed ({@code name-total}) and rated ({@code name-rate}). */
    public Sensor sum(String name, String description) {
        Sensor sensor = metrics.addSensor(prefix + name, Sensor.RecordingLevel.INFO);
        Map<String, String> current = new LinkedHashMap<>(tags);
        sensor.add(new MetricName(name + "-total", GROUP, "Total " + description, current), new CumulativeSum());
        sensor.add(new MetricName(name + "-rate", GROUP, description + " per second", current), new Rate());
        sensors.add(sensor);
        return sensor;
    }

    /**
     * A sensor of durations in milliseconds: {@code name-avg} and {@code name-max} over Kafka's metrics window
     * (per recording), {@code name-total} the sum of all (a counter: its rate is the share of a thread spent).
     */
    public Sensor time(String name, String description) {
        Sensor sensor = metrics.addSensor(prefix + name, Sensor.RecordingLevel.INFO);
        Map<String, String> current = new LinkedHashMap<>(tags);
        sensor.add(new MetricName(name + "-avg", GROUP, "Average " + description + ", in ms", current), new Avg());
        sensor.add(new MetricName(name + "-max", GROUP, "Longest " + description + ", in ms", current), new Max());
        sensor.add(new MetricName(name + "-total", GROUP, "Total " + description + ", in ms", current), new CumulativeSum());
        sensors.add(sensor);
        return sensor;
    }

    /** A sensor whose metric ({@code name}) is the last value recorded, for a level such as a count of streams. */
    public Sensor value(String name, String description) {
        Sensor sensor = metrics.addSensor(prefix + name, Sensor.RecordingLevel.INFO);
        sensor.add(new MetricName(name, GROUP, description, new LinkedHashMap<>(tags)), new Value());
        sensors.add(sensor);
        return sensor;
    }

    @Override
    public void close() {
        sensors.forEach(metrics::removeSensor);
        sensors.clear();
    }
}
