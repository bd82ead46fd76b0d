package dev.weir.cli;

import dev.weir.avro.DecodedFrame;
import dev.weir.avro.PixelFormat;
import dev.weir.avro.TokenBatch;
import dev.weir.avro.VideoFrame;
import dev.weir.codec.video.PixelFormatDecoder;
import dev.weir.codec.video.Psnr;
import dev.weir.codec.video.RgbFrame;
import dev.weir.serdes.ConfluentAvroSerde;
import dev.weir.serdes.RestSchemaRegistryClient;
import dev.weir.serdes.SchemaRegistryClient;
import dev.weir.topology.DeadLetterHeaders;
import dev.weir.topology.WeirConfig;
import dev.weir.topology.WeirTopology;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The demo's driver (as in kafka-streams-examples: app, driver, test): produces the bundled samples and
 * two deliberately bad records, then reads the token, decoded and dead-letter topics until every output
 * of this run has arrived, and judges the decoded frames against the originals.
 */
final class DemoDriver {

    private final WeirConfig config;
    private final Path samples;
    private final int framesPerStream;

    DemoDriver(WeirConfig config, Path samples, int framesPerStream) {
        this.config = config;
        this.samples = samples;
        this.framesPerStream = framesPerStream;
    }

    /** One sample stream of this run. */
    record Sample(String streamId, String description, List<VideoFrame> frames, Map<Long, RgbFrame> originals) {
    }

    Result run(Duration timeout) throws IOException, InterruptedException {
        String run = Long.toString(System.currentTimeMillis() % 10_000_000, 36);
        List<Sample> streams = List.of(
                sample("tree-" + run, "320x240 JPEG, moving camera", MediaFiles.videoFrames(samples.resolve("video/tree"), "tree-" + run, framesPerStream, 15)),
                sample("coffee-" + run, "640x480 JPEG, static camera", MediaFiles.videoFrames(samples.resolve("video/coffee-sprite"), "coffee-" + run, framesPerStream, 15)),
                sample("tree-rgb-" + run, "320x240 RGB24 from .y4m", MediaFiles.videoFrames(samples.resolve("video/tree-4frames.y4m"), "tree-rgb-" + run, framesPerStream, 15)));
        String badKey = "bad-" + run;
        TopicNamesView topics = new TopicNamesView(config);
        Map<String, Object> consumerConfig = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.get(WeirConfig.BOOTSTRAP_SERVERS),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, config.getInt(WeirConfig.MAX_EVENT_BYTES) + 1024 * 1024);
        Result result = new Result(streams, WeirTopology.videoCodebook(config).layout().bitsPerPatch());
        try (SchemaRegistryClient registry = new RestSchemaRegistryClient(config.serdeConfig());
             KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerConfig, new ByteArrayDeserializer(), new ByteArrayDeserializer());
             KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(ProduceCommand.producerConfig(config), new ByteArraySerializer(), new ByteArraySerializer())) {
            // Read only what this run produces: start every output partition at its current end.
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : List.of(topics.tokens, topics.decoded, topics.deadLetters)) {
                consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);

            Serializer<VideoFrame> frameSerializer = ConfluentAvroSerde.forValue(registry, VideoFrame.class).serializer();
            Deserializer<TokenBatch> tokens = ConfluentAvroSerde.forValue(registry, TokenBatch.class).deserializer();
            Deserializer<DecodedFrame> decoded = ConfluentAvroSerde.forValue(registry, DecodedFrame.class).deserializer();

            result.started = System.nanoTime();
            int longest = streams.stream().mapToInt(s -> s.frames().size()).max().orElse(0);
            for (int i = 0; i < longest; i++) {
                for (Sample s : streams) {
                    if (i < s.frames().size()) {
                        VideoFrame f = s.frames().get(i);
                        producer.send(new ProducerRecord<>(topics.frames, key(s.streamId()), frameSerializer.serialize(topics.frames, f)));
                        result.bytesIn.merge(s.streamId(), (long) f.getData().remaining(), Long::sum);
                    }
                }
                if (i == 2) { // two bad records in the middle of the good ones
                    producer.send(new ProducerRecord<>(topics.frames, key(badKey), "not an Avro event".getBytes(StandardCharsets.UTF_8)));
                    VideoFrame truncated = MediaFiles.frame(badKey, 0, System.currentTimeMillis(), 320, 240, PixelFormat.JPEG,
                            new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 0, 16});
                    producer.send(new ProducerRecord<>(topics.frames, key(badKey), frameSerializer.serialize(topics.frames, truncated)));
                }
            }
            producer.flush();

            long deadline = System.nanoTime() + timeout.toNanos();
            while (!result.complete() && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    String key = r.key() == null ? "" : new String(r.key(), StandardCharsets.UTF_8);
                    if (r.topic().equals(topics.deadLetters)) {
                        if (key.equals(badKey)) {
                            Header reason = r.headers().lastHeader(DeadLetterHeaders.REASON);
                            result.deadLetters.add(reason == null ? "?" : new String(reason.value(), StandardCharsets.UTF_8));
                        }
                    } else if (result.isOurs(key)) {
                        if (r.topic().equals(topics.tokens)) {
                            result.add(tokens.deserialize(r.topic(), r.value()));
                        } else {
                            result.add(decoded.deserialize(r.topic(), r.value()));
                        }
                    }
                }
            }
            result.finished = System.nanoTime();
        }
        return result;
    }

    private static byte[] key(String streamId) {
        return streamId.getBytes(StandardCharsets.UTF_8);
    }

    private static Sample sample(String streamId, String description, List<VideoFrame> frames) {
        Map<Long, RgbFrame> originals = new TreeMap<>();
        for (VideoFrame f : frames) {
            originals.put(f.getSeq(), PixelFormatDecoder.decode(dev.weir.codec.video.PixelFormat.valueOf(f.getFormat().name()), f.getWidth(), f.getHeight(), f.getData()));
        }
        return new Sample(streamId, description, frames, originals);
    }

    private record TopicNamesView(String frames, String tokens, String decoded, String deadLetters) {
        TopicNamesView(WeirConfig config) {
            this(config.topics().videoFrames(), config.topics().videoTokens(), config.topics().videoDecoded(), config.topics().deadLetters());
        }
    }

    /** What came back, per stream. */
    static final class Result {
        final List<Sample> streams;
        final int bitsPerPosition;
        final Map<String, Long> bytesIn = new LinkedHashMap<>();
        final Map<String, long[]> tokenCounts = new LinkedHashMap<>(); // full, emitted, positions emitted, batches
        final Map<String, Map<Long, DecodedFrame>> decoded = new LinkedHashMap<>();
        final List<String> deadLetters = new ArrayList<>();
        long started;
        long finished;

        Result(List<Sample> streams, int bitsPerPosition) {
            this.streams = streams;
            this.bitsPerPosition = bitsPerPosition;
            streams.forEach(s -> {
                tokenCounts.put(s.streamId(), new long[4]);
                decoded.put(s.streamId(), new TreeMap<>());
            });
        }

        boolean isOurs(String streamId) {
            return decoded.containsKey(streamId);
        }

        void add(TokenBatch b) {
            long[] c = tokenCounts.get(b.getStreamId());
            c[0] += (long) b.getStats().getPositionsTotal() * b.getTokensPerPosition();
            c[1] += b.getTokens().size();
            c[2] += b.getPositions().size();
            c[3]++;
        }

        void add(DecodedFrame f) {
            decoded.get(f.getStreamId()).put(f.getSeq(), f);
        }

        boolean complete() {
            return deadLetters.size() >= 2 && streams.stream().allMatch(s -> decoded.get(s.streamId()).size() == s.frames().size()
                    && tokenCounts.get(s.streamId())[3] == s.frames().size());
        }

        double psnr(Sample s) {
            double sum = 0;
            int n = 0;
            for (Map.Entry<Long, DecodedFrame> e : decoded.get(s.streamId()).entrySet()) {
                sum += Psnr.db(s.originals().get(e.getKey()).rgb(), bytes(e.getValue().getData()));
                n++;
            }
            return n == 0 ? Double.NaN : sum / n;
        }

        void printSummary(PrintStream out, Map<MetricName, ? extends Metric> metrics) {
            double seconds = (finished - started) / 1e9;
            out.println();
            out.printf("%-18s %-30s %6s %7s %11s %11s %6s %10s %9s %8s%n", "stream", "input", "frames", "decoded",
                    "tokens full", "tokens out", "ratio", "kbit/frame", "vs raw", "PSNR dB");
            int framesOut = 0;
            for (Sample s : streams) {
                long[] c = tokenCounts.get(s.streamId());
                int n = decoded.get(s.streamId()).size();
                framesOut += n;
                RgbFrame first = s.originals().values().iterator().next();
                double rawBits = (double) first.width() * first.height() * 24 * s.frames().size();
                double tokenBits = (double) c[2] * bitsPerPosition;
                out.printf("%-18s %-30s %6d %7d %11d %11d %6.3f %10.1f %8.0fx %8.2f%n", s.streamId(), s.description(),
                        s.frames().size(), n, c[0], c[1], c[0] == 0 ? 0 : (double) c[1] / c[0],
                        tokenBits / 1000 / Math.max(1, c[3]), tokenBits == 0 ? 0 : rawBits / tokenBits, psnr(s));
            }
            out.printf("%nend to end: %d frames produced → tokenized → decoded from the token topic in %.1f s (%.1f frames/s)%n",
                    framesOut, seconds, framesOut / seconds);
            out.printf("dead letters: %d of 2 bad records set aside, reasons %s%n", deadLetters.size(), deadLetters);
            double dlqMetric = metrics.entrySet().stream()
                    .filter(e -> e.getKey().group().equals("weir-metrics") && e.getKey().name().equals("dead-letters-total"))
                    .mapToDouble(e -> ((Number) e.getValue().metricValue()).doubleValue()).sum();
            out.printf("metrics: weir-metrics dead-letters-total = %.0f (this application instance)%n", dlqMetric);
            out.println(complete() ? "all outputs arrived." : "NOT all outputs arrived before the timeout.");
        }

        void writeSamples(Path dir) throws IOException {
            for (Sample s : streams) {
                Path streamDir = Files.createDirectories(dir.resolve(s.streamId()));
                boolean first = true;
                for (Map.Entry<Long, DecodedFrame> e : decoded.get(s.streamId()).entrySet()) {
                    DecodedFrame f = e.getValue();
                    BufferedImage decodedImage = image(f.getWidth(), f.getHeight(), bytes(f.getData()));
                    ImageIO.write(decodedImage, "png", streamDir.resolve(String.format("decoded-%04d.png", e.getKey())).toFile());
                    if (first) {
                        RgbFrame original = s.originals().get(e.getKey());
                        BufferedImage both = new BufferedImage(f.getWidth() * 2, f.getHeight(), BufferedImage.TYPE_INT_RGB);
                        both.getGraphics().drawImage(image(original.width(), original.height(), original.rgb()), 0, 0, null);
                        both.getGraphics().drawImage(decodedImage, f.getWidth(), 0, null);
                        ImageIO.write(both, "png", streamDir.resolve("original-vs-decoded.png").toFile());
                        first = false;
                    }
                }
            }
        }

        private static BufferedImage image(int width, int height, byte[] rgb) {
            BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
            int[] pixels = new int[width * height];
            for (int i = 0; i < pixels.length; i++) {
                pixels[i] = (rgb[3 * i] & 0xFF) << 16 | (rgb[3 * i + 1] & 0xFF) << 8 | (rgb[3 * i + 2] & 0xFF);
            }
            image.setRGB(0, 0, width, height, pixels, 0, width);
            return image;
        }

        private static byte[] bytes(ByteBuffer buffer) {
            ByteBuffer view = buffer.duplicate();
            byte[] out = new byte[view.remaining()];
            view.get(out);
            return out;
        }
    }
}
