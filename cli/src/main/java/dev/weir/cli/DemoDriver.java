package dev.weir.cli;

import dev.weir.serdes.RestSchemaRegistryClient;
import dev.weir.serdes.SchemaRegistryClient;
import dev.weir.topology.WeirConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The demo's driver (as in kafka-streams-examples: app, driver, test): produces every modality's samples and
 * bad records ({@link DemoPart}), then reads the output and dead-letter topics until every output of this run
 * has arrived, and prints each part's summary.
 */
final class DemoDriver {

    private final WeirConfig config;
    private final Path samples;
    private final int unitsPerStream;

    DemoDriver(WeirConfig config, Path samples, int unitsPerStream) {
        this.config = config;
        this.samples = samples;
        this.unitsPerStream = unitsPerStream;
    }

    Result run(Duration timeout) throws IOException, InterruptedException {
        String run = Long.toString(System.currentTimeMillis() % 10_000_000, 36);
        Map<String, Object> consumerConfig = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.get(WeirConfig.BOOTSTRAP_SERVERS),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, config.getInt(WeirConfig.MAX_EVENT_BYTES) + 1024 * 1024);
        try (SchemaRegistryClient registry = new RestSchemaRegistryClient(config.serdeConfig());
             KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerConfig, new ByteArrayDeserializer(), new ByteArrayDeserializer());
             KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(ProduceCommand.producerConfig(config), new ByteArraySerializer(), new ByteArraySerializer())) {
            Result result = new Result(parts(registry, run));
            String deadLetters = config.topics().deadLetters();
            // Read only what this run produces: start every output partition at its current end.
            List<TopicPartition> partitions = new ArrayList<>();
            List<String> topics = new ArrayList<>();
            result.parts.forEach(p -> topics.addAll(p.outputTopics()));
            topics.add(deadLetters);
            for (String topic : topics) {
                consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);

            result.started = System.nanoTime();
            for (DemoPart part : result.parts) {
                part.produce(producer);
            }
            producer.flush();

            long deadline = System.nanoTime() + timeout.toNanos();
            while (!result.complete() && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    for (DemoPart part : result.parts) {
                        if (r.topic().equals(deadLetters)) {
                            part.acceptDeadLetter(r);
                        } else {
                            part.accept(r);
                        }
                    }
                }
            }
            result.finished = System.nanoTime();
            return result;
        }
    }

    /** The parts of the enabled modalities that have one. */
    private List<DemoPart> parts(SchemaRegistryClient registry, String run) throws IOException {
        List<DemoPart> parts = new ArrayList<>();
        for (String modality : config.topics().modalities().keySet()) {
            switch (modality) {
                case dev.weir.topology.video.VideoModality.NAME -> parts.add(new VideoDemo(config, registry, samples, unitsPerStream, run));
                case dev.weir.topology.audio.AudioModality.NAME -> parts.add(new AudioDemo(config, registry, samples, run));
                case dev.weir.topology.text.TextModality.NAME -> parts.add(new TextDemo(config, registry, samples, run));
                default -> { } // a modality without a demo part takes no part in the demo
            }
        }
        return parts;
    }

    /** What came back, per part. */
    static final class Result {
        final List<DemoPart> parts;
        long started;
        long finished;

        Result(List<DemoPart> parts) {
            this.parts = parts;
        }

        boolean complete() {
            return parts.stream().allMatch(DemoPart::complete);
        }

        void printSummary(PrintStream out, Map<MetricName, ? extends Metric> metrics) {
            double seconds = (finished - started) / 1e9;
            int bad = 0;
            List<String> reasons = new ArrayList<>();
            List<String> units = new ArrayList<>();
            for (DemoPart part : parts) {
                out.println();
                part.printSummary(out);
                units.add(part.unitsDecoded() + " " + part.units());
                bad += part.badRecords();
                reasons.addAll(part.deadLetterReasons());
            }
            out.printf("%nend to end: %s produced → tokenized → decoded from the token topics in %.1f s%n",
                    String.join(", ", units), seconds);
            out.printf("dead letters: %d of %d bad records set aside, reasons %s%n", reasons.size(), bad, reasons);
            double dlqMetric = metrics.entrySet().stream()
                    .filter(e -> e.getKey().group().equals("weir-metrics") && e.getKey().name().equals("dead-letters-total"))
                    .mapToDouble(e -> ((Number) e.getValue().metricValue()).doubleValue()).sum();
            out.printf("metrics: weir-metrics dead-letters-total = %.0f (this application instance)%n", dlqMetric);
            out.println(complete() ? "all outputs arrived." : "NOT all outputs arrived before the timeout.");
        }

        /**
         * Writes this run's decoded samples under {@code dir}, replacing an earlier demo's (a folder this method
         * wrote is marked, and only a marked folder is emptied first).
         */
        void writeSamples(Path dir) throws IOException {
            Path marker = dir.resolve(".weir-demo");
            if (Files.exists(marker)) {
                try (var paths = Files.walk(dir)) {
                    for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).filter(p -> !p.equals(dir)).toList()) {
                        Files.delete(p);
                    }
                }
            }
            Files.createDirectories(dir);
            Files.writeString(marker, "written by ./weir demo: emptied by the next run\n");
            for (DemoPart part : parts) {
                part.writeSamples(dir);
            }
        }
    }
}
