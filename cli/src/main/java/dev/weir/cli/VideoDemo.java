package dev.weir.cli;

import dev.weir.avro.DecodedFrame;
import dev.weir.avro.PixelFormat;
import dev.weir.avro.TokenBatch;
import dev.weir.avro.VideoFrame;
import dev.weir.codec.video.PixelFormatDecoder;
import dev.weir.codec.video.Psnr;
import dev.weir.codec.video.RgbFrame;
import dev.weir.serdes.SchemaRegistryClient;
import dev.weir.topology.Topic;
import dev.weir.topology.WeirConfig;
import dev.weir.topology.modality.ModalityTopicNames;
import dev.weir.topology.video.VideoModality;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Video's part of the demo: three sample streams (JPEG with a moving camera, JPEG with a static camera,
 * RGB24 from a .y4m) and two bad records in the middle; decoded frames are judged by PSNR against the
 * originals and written as PNGs with an original-vs-decoded picture.
 */
final class VideoDemo implements DemoPart {

    /** One sample stream of this run. */
    record Sample(String streamId, String description, List<VideoFrame> frames, Map<Long, RgbFrame> originals) {
    }

    private final List<Sample> streams;
    private final String badKey;
    private final Topic<String, VideoFrame> frames;
    private final Topic<String, TokenBatch> tokens;
    private final Topic<String, DecodedFrame> decodedTopic;
    private final int bitsPerPosition;
    private final Map<String, long[]> tokenCounts = new LinkedHashMap<>(); // full, emitted, positions emitted, batches
    private final Map<String, Map<Long, DecodedFrame>> decoded = new LinkedHashMap<>();
    private final DemoDeadLetters deadLetters;

    VideoDemo(WeirConfig config, SchemaRegistryClient registry, Path samples, int framesPerStream, String run) throws IOException {
        ModalityTopicNames names = config.topics().of(VideoModality.NAME);
        this.frames = Topic.avro(names.input(), VideoFrame.class, registry, config.serdeConfig());
        this.tokens = Topic.avro(names.tokens(), TokenBatch.class, registry, config.serdeConfig());
        this.decodedTopic = Topic.avro(names.decoded(), DecodedFrame.class, registry, config.serdeConfig());
        this.bitsPerPosition = VideoModality.codebook(config).layout().bitsPerPatch();
        this.badKey = "bad-" + run;
        this.deadLetters = new DemoDeadLetters(badKey);
        this.streams = List.of(
                sample("tree-" + run, "320x240 JPEG, moving camera", MediaFiles.videoFrames(samples.resolve("video/tree"), "tree-" + run, framesPerStream, 15)),
                sample("coffee-" + run, "640x480 JPEG, static camera", MediaFiles.videoFrames(samples.resolve("video/coffee-sprite"), "coffee-" + run, framesPerStream, 15)),
                sample("tree-rgb-" + run, "320x240 RGB24 from .y4m", MediaFiles.videoFrames(samples.resolve("video/tree-4frames.y4m"), "tree-rgb-" + run, framesPerStream, 15)));
        streams.forEach(s -> {
            tokenCounts.put(s.streamId(), new long[4]);
            decoded.put(s.streamId(), new TreeMap<>());
        });
    }

    @Override
    public List<String> outputTopics() {
        return List.of(tokens.name(), decodedTopic.name());
    }

    @Override
    public void produce(KafkaProducer<byte[], byte[]> producer) {
        int longest = streams.stream().mapToInt(s -> s.frames().size()).max().orElse(0);
        for (int i = 0; i < longest; i++) {
            for (Sample s : streams) {
                if (i < s.frames().size()) {
                    producer.send(new ProducerRecord<>(frames.name(), key(s.streamId()), frames.valueSerde().serializer().serialize(frames.name(), s.frames().get(i))));
                }
            }
            if (i == 2) { // two bad records in the middle of the good ones
                producer.send(new ProducerRecord<>(frames.name(), key(badKey), "not an Avro event".getBytes(StandardCharsets.UTF_8)));
                VideoFrame truncated = MediaFiles.frame(badKey, 0, System.currentTimeMillis(), 320, 240, PixelFormat.JPEG,
                        new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 0, 16});
                producer.send(new ProducerRecord<>(frames.name(), key(badKey), frames.valueSerde().serializer().serialize(frames.name(), truncated)));
            }
        }
    }

    @Override
    public void accept(ConsumerRecord<byte[], byte[]> r) {
        String key = r.key() == null ? "" : new String(r.key(), StandardCharsets.UTF_8);
        if (!decoded.containsKey(key)) {
            return;
        }
        if (r.topic().equals(tokens.name())) {
            TokenBatch b = tokens.valueSerde().deserializer().deserialize(r.topic(), r.value());
            long[] c = tokenCounts.get(b.getStreamId());
            c[0] += (long) b.getStats().getPositionsTotal() * b.getTokensPerPosition();
            c[1] += b.getTokens().size();
            c[2] += b.getPositions().size();
            c[3]++;
        } else if (r.topic().equals(decodedTopic.name())) {
            DecodedFrame f = decodedTopic.valueSerde().deserializer().deserialize(r.topic(), r.value());
            decoded.get(f.getStreamId()).put(f.getSeq(), f);
        }
    }

    @Override
    public boolean acceptDeadLetter(ConsumerRecord<byte[], byte[]> r) {
        return deadLetters.accept(r);
    }

    @Override
    public int badRecords() {
        return 2;
    }

    @Override
    public List<String> deadLetterReasons() {
        return deadLetters.reasons();
    }

    @Override
    public boolean complete() {
        return deadLetters.reasons().size() >= badRecords() && streams.stream().allMatch(s -> decoded.get(s.streamId()).size() == s.frames().size()
                && tokenCounts.get(s.streamId())[3] == s.frames().size());
    }

    @Override
    public String units() {
        return "frames";
    }

    @Override
    public int unitsDecoded() {
        return decoded.values().stream().mapToInt(Map::size).sum();
    }

    private double psnr(Sample s) {
        double sum = 0;
        int n = 0;
        for (Map.Entry<Long, DecodedFrame> e : decoded.get(s.streamId()).entrySet()) {
            sum += Psnr.db(s.originals().get(e.getKey()).rgb(), bytes(e.getValue().getData()));
            n++;
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    @Override
    public void printSummary(PrintStream out) {
        out.printf("%-18s %-30s %6s %7s %11s %11s %6s %10s %9s %8s%n", "stream", "input", "frames", "decoded",
                "tokens full", "tokens out", "ratio", "kbit/frame", "vs raw", "PSNR dB");
        for (Sample s : streams) {
            long[] c = tokenCounts.get(s.streamId());
            int n = decoded.get(s.streamId()).size();
            RgbFrame first = s.originals().values().iterator().next();
            double rawBits = (double) first.width() * first.height() * 24 * s.frames().size();
            double tokenBits = (double) c[2] * bitsPerPosition;
            out.printf("%-18s %-30s %6d %7d %11d %11d %6.3f %10.1f %8.0fx %8.2f%n", s.streamId(), s.description(),
                    s.frames().size(), n, c[0], c[1], c[0] == 0 ? 0 : (double) c[1] / c[0],
                    tokenBits / 1000 / Math.max(1, c[3]), tokenBits == 0 ? 0 : rawBits / tokenBits, psnr(s));
        }
    }

    @Override
    public void writeSamples(Path dir) throws IOException {
        for (Sample s : streams) {
            Path streamDir = Files.createDirectories(dir.resolve(s.streamId()));
            boolean first = true;
            for (Map.Entry<Long, DecodedFrame> e : decoded.get(s.streamId()).entrySet()) {
                DecodedFrame f = e.getValue();
                BufferedImage decodedImage = new RgbFrame(f.getWidth(), f.getHeight(), bytes(f.getData())).toImage();
                ImageIO.write(decodedImage, "png", streamDir.resolve(String.format("decoded-%04d.png", e.getKey())).toFile());
                if (first) {
                    RgbFrame original = s.originals().get(e.getKey());
                    BufferedImage both = new BufferedImage(f.getWidth() * 2, f.getHeight(), BufferedImage.TYPE_INT_RGB);
                    both.getGraphics().drawImage(original.toImage(), 0, 0, null);
                    both.getGraphics().drawImage(decodedImage, f.getWidth(), 0, null);
                    ImageIO.write(both, "png", streamDir.resolve("original-vs-decoded.png").toFile());
                    first = false;
                }
            }
        }
    }

    private static Sample sample(String streamId, String description, List<VideoFrame> frames) {
        Map<Long, RgbFrame> originals = new TreeMap<>();
        for (VideoFrame f : frames) {
            originals.put(f.getSeq(), PixelFormatDecoder.decode(dev.weir.codec.video.PixelFormat.valueOf(f.getFormat().name()),
                    f.getWidth(), f.getHeight(), f.getData()));
        }
        return new Sample(streamId, description, frames, originals);
    }

    private static byte[] key(String streamId) {
        return streamId.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] bytes(ByteBuffer buffer) {
        ByteBuffer view = buffer.duplicate();
        byte[] out = new byte[view.remaining()];
        view.get(out);
        return out;
    }
}
