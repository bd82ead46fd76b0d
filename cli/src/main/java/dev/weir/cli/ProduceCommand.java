package dev.weir.cli;

import dev.weir.avro.VideoFrame;
import dev.weir.serdes.ConfluentAvroSerde;
import dev.weir.serdes.RestSchemaRegistryClient;
import dev.weir.serdes.SchemaRegistryClient;
import dev.weir.topology.ClusterCheck;
import dev.weir.topology.WeirApp;
import dev.weir.topology.WeirConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

@Command(name = "produce", mixinStandardHelpOptions = true,
        description = "Produce media files to Weir's input topic as Avro events (JPEG/PNG as they are, .y4m as RGB24).")
final class ProduceCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions options = new ConfigOptions();

    @Parameters(index = "0", paramLabel = "MODALITY", description = "What to produce: video.")
    String modality;

    @Option(names = {"-i", "--input"}, required = true, paramLabel = "PATH", description = "A folder of .jpg/.png frames, one image, or a .y4m file.")
    Path input;

    @Option(names = {"-s", "--stream"}, required = true, paramLabel = "ID", description = "Stream id (also the record key).")
    String streamId;

    @Option(names = "--limit", paramLabel = "N", description = "At most N frames (default: ${DEFAULT-VALUE}).")
    int limit = 10_000;

    @Option(names = "--fps", paramLabel = "F", description = "Frames per second: spaces the event timestamps, and paces sending when --realtime (default: ${DEFAULT-VALUE}).")
    double fps = 15;

    @Option(names = "--realtime", description = "Send at --fps instead of as fast as possible.")
    boolean realtime;

    @Override
    public Integer call() throws Exception {
        if (!modality.equals("video")) {
            System.err.println("weir produce: only 'video' is supported so far");
            return 2;
        }
        WeirConfig config = options.load();
        // a missing topic or an unreachable broker is one line now, not a minute of retries later
        ClusterCheck.maxMessageBytes(config, java.util.List.of(config.topics().of("video").input()), config.startupTimeout());
        int produced = 0;
        try (MediaFiles.FrameReader frames = MediaFiles.openVideoFrames(input, streamId, limit, fps);
             SchemaRegistryClient registry = new RestSchemaRegistryClient(config.serdeConfig());
             KafkaProducer<String, VideoFrame> producer = new KafkaProducer<>(producerConfig(config), new StringSerializer(),
                     ConfluentAvroSerde.forValue(registry, VideoFrame.class).serializer())) {
            String topic = config.topics().of("video").input();
            long start = System.nanoTime();
            java.util.concurrent.atomic.AtomicReference<Exception> failure = new java.util.concurrent.atomic.AtomicReference<>();
            for (Optional<VideoFrame> next = next(frames, produced); next.isPresent() && failure.get() == null;
                 next = next(frames, produced)) {
                VideoFrame frame = next.get();
                if (realtime) {
                    long due = start + (long) (frame.getSeq() * 1e9 / fps);
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                }
                producer.send(new ProducerRecord<>(topic, streamId, frame), (metadata, e) -> {
                    if (e != null) {
                        failure.compareAndSet(null, e);
                    }
                });
                produced++;
            }
            producer.flush();
            if (failure.get() != null) {
                System.err.println("weir produce: sending to " + topic + " failed: " + failure.get());
                return 1;
            }
            System.out.printf("produced %d frames of %s to %s%n", produced, streamId, topic);
        }
        return 0;
    }

    /** The next frame; a file that cannot be read ends the run with how many frames were already sent. */
    private Optional<VideoFrame> next(MediaFiles.FrameReader frames, int produced) throws IOException {
        try {
            return frames.next();
        } catch (IOException e) {
            throw new IOException("reading " + input + " failed after " + produced + " frame(s) were sent: " + e.getMessage(), e);
        }
    }

    /** The config file's connection and security settings, with what sending video needs. */
    static Map<String, Object> producerConfig(WeirConfig config) {
        Map<String, Object> producer = new java.util.TreeMap<>(config.clientConfig(ProducerConfig.configNames()));
        producer.put(ProducerConfig.ACKS_CONFIG, "all");
        producer.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        producer.putIfAbsent(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        producer.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, config.getInt(WeirConfig.MAX_EVENT_BYTES) + 1024 * 1024);
        producer.put(ProducerConfig.BUFFER_MEMORY_CONFIG, WeirApp.bufferBytes(config.getInt(WeirConfig.MAX_EVENT_BYTES)));
        return producer;
    }
}
