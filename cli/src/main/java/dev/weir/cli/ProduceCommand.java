package dev.weir.cli;

import dev.weir.avro.AudioChunk;
import dev.weir.avro.TextEvent;
import dev.weir.avro.VideoFrame;
import dev.weir.codec.text.TextEvaluation;
import dev.weir.serdes.RestSchemaRegistryClient;
import dev.weir.serdes.SchemaRegistryClient;
import dev.weir.topology.ClusterCheck;
import dev.weir.topology.Modalities;
import dev.weir.topology.Topic;
import dev.weir.topology.WeirApp;
import dev.weir.topology.WeirConfig;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;

@Command(name = "produce", mixinStandardHelpOptions = true,
        description = {"Produce media files to a modality's input topic as Avro events:",
                "video: a folder of .jpg/.png frames, one image, or a .y4m file (as RGB24);",
                "audio: a .wav file (PCM16 or float, any rate, mono or stereo), in chunks of --chunk-ms, the last one ending the stream;",
                "text: a UTF-8 file, one message per line (--message lines) or the whole file (--message file)."})
final class ProduceCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions options = new ConfigOptions();

    @Parameters(index = "0", paramLabel = "MODALITY", description = "What to produce: video, audio or text.")
    String modality;

    @Option(names = {"-i", "--input"}, required = true, paramLabel = "PATH", description = "The media file or folder (see above).")
    Path input;

    @Option(names = {"-s", "--stream"}, required = true, paramLabel = "ID", description = "Stream id (also the record key).")
    String streamId;

    @Option(names = "--limit", paramLabel = "N", description = "At most N events (default: ${DEFAULT-VALUE}).")
    int limit = 10_000;

    @Option(names = {"--rate", "--fps"}, paramLabel = "R", description = "Events per second: spaces the event timestamps, and paces sending when --realtime (default: ${DEFAULT-VALUE}).")
    double rate = 15;

    @Option(names = "--realtime", description = "Send at --rate instead of as fast as possible.")
    boolean realtime;

    @Option(names = "--chunk-ms", paramLabel = "MS", description = "audio: milliseconds of audio per chunk (default: ${DEFAULT-VALUE}).")
    int chunkMs = 200;

    @Option(names = "--message", paramLabel = "MODE", description = "text: lines (a message per line) or file (one message) (default: lines).")
    TextEvaluation.MessageMode message = TextEvaluation.MessageMode.LINES;

    @Override
    public Integer call() throws Exception {
        Modalities.named(modality); // one clear line for a name Weir does not know
        WeirConfig config = options.load();
        String topic = config.topics().of(modality).input();
        // a missing topic or an unreachable broker is one line now, not a minute of retries later
        ClusterCheck.maxMessageBytes(config, List.of(topic), config.startupTimeout());
        try (SchemaRegistryClient registry = new RestSchemaRegistryClient(config.serdeConfig())) {
            return switch (modality) {
                case "video" -> produce(config, Topic.avro(topic, VideoFrame.class, registry, config.serdeConfig()),
                        MediaFiles.openVideoFrames(input, streamId, limit, rate), "frames");
                case "audio" -> produce(config, Topic.avro(topic, AudioChunk.class, registry, config.serdeConfig()),
                        AudioFiles.open(input, streamId, limit, chunkMs), "chunks");
                case "text" -> produce(config, Topic.avro(topic, TextEvent.class, registry, config.serdeConfig()),
                        TextFiles.open(input, streamId, limit, message, rate), "messages");
                default -> throw new IllegalArgumentException("weir produce has no reader for " + modality + " files");
            };
        }
    }

    /** Sends every event of {@code events} to {@code topic}, keyed by stream id; 1 when a send failed. */
    private <E extends SpecificRecord> int produce(WeirConfig config, Topic<String, E> topic, EventReader<E> events, String units)
            throws IOException, InterruptedException {
        int produced = 0;
        try (events; KafkaProducer<String, E> producer = new KafkaProducer<>(producerConfig(config),
                topic.keySerde().serializer(), topic.valueSerde().serializer());
             TerminalProgress progress = TerminalProgress.of("weir produce")) {
            long start = System.nanoTime();
            AtomicReference<Exception> failure = new AtomicReference<>();
            for (Optional<E> next = next(events, produced); next.isPresent() && failure.get() == null; next = next(events, produced)) {
                if (realtime) {
                    pace(start, produced);
                }
                producer.send(new ProducerRecord<>(topic.name(), streamId, next.get()), (metadata, e) -> {
                    if (e != null) {
                        failure.compareAndSet(null, e);
                    }
                });
                produced++;
                progress.update(units + " sent to " + topic.name(), produced, 0);
            }
            producer.flush();
            if (failure.get() != null) {
                System.err.println("weir produce: sending to " + topic.name() + " failed: " + failure.get());
                return 1;
            }
        }
        System.out.printf("produced %d %s of %s to %s%n", produced, units, streamId, topic.name());
        return 0;
    }

    /** Waits until event {@code n} is due from {@code start}: {@link #rate} per second, audio chunks at their duration. */
    private void pace(long start, int n) throws InterruptedException {
        double perSecond = modality.equals("audio") ? 1000.0 / chunkMs : rate;
        long wait = start + (long) (n * 1e9 / perSecond) - System.nanoTime();
        if (wait > 0) {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
    }

    /** The next event; a file that cannot be read ends the run with how many events were already sent. */
    private <E> Optional<E> next(EventReader<E> events, int produced) throws IOException {
        try {
            return events.next();
        } catch (IOException e) {
            throw new IOException("reading " + input + " failed after " + produced + " event(s) were sent: " + e.getMessage(), e);
        }
    }

    /** The config file's connection and security settings, with what sending media needs. */
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
