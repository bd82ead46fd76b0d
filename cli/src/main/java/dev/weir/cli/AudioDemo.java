package dev.weir.cli;

import dev.weir.avro.AudioChunk;
import dev.weir.avro.AudioFormat;
import dev.weir.avro.AudioLayout;
import dev.weir.avro.DecodedAudio;
import dev.weir.avro.TokenBatch;
import dev.weir.codec.audio.AudioCodebook;
import dev.weir.codec.audio.PcmChunk;
import dev.weir.codec.audio.SampleFormat;
import dev.weir.codec.audio.Spectrogram;
import dev.weir.codec.audio.Stoi;
import dev.weir.codec.audio.WavReader;
import dev.weir.codec.video.RgbFrame;
import dev.weir.serdes.SchemaRegistryClient;
import dev.weir.topology.Topic;
import dev.weir.topology.WeirConfig;
import dev.weir.topology.audio.AudioModality;
import dev.weir.topology.modality.ModalityTopicNames;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Audio's part of the demo: read speech in 200 ms chunks, and one chunk with an odd byte count; the decoded
 * audio is judged by STOI against the original and written as a WAV, with a spectrogram of original and decoded.
 */
final class AudioDemo implements DemoPart {

    static final int CHUNK_MS = 200;

    private final String streamId;
    private final PcmChunk original;
    private final List<AudioChunk> chunks = new ArrayList<>();
    private final Topic<String, AudioChunk> input;
    private final Topic<String, TokenBatch> tokens;
    private final Topic<String, DecodedAudio> decodedTopic;
    private final AudioCodebook codebook;
    private final String badKey;
    private final DemoDeadLetters deadLetters;
    private final Map<Long, DecodedAudio> decoded = new TreeMap<>();
    private long tokensFull;
    private long tokensOut;
    private double bitsOut;
    private long silentFrames;
    private long frames;
    private int batches;

    AudioDemo(WeirConfig config, SchemaRegistryClient registry, Path samples, String run) throws IOException {
        ModalityTopicNames names = config.topics().of(AudioModality.NAME);
        this.input = Topic.avro(names.input(), AudioChunk.class, registry, config.serdeConfig());
        this.tokens = Topic.avro(names.tokens(), TokenBatch.class, registry, config.serdeConfig());
        this.decodedTopic = Topic.avro(names.decoded(), DecodedAudio.class, registry, config.serdeConfig());
        this.codebook = AudioModality.codebook(config);
        this.streamId = "speech-" + run;
        this.badKey = "bad-audio-" + run;
        this.deadLetters = new DemoDeadLetters(badKey);
        this.original = WavReader.read(samples.resolve("audio/librivox-sense-0880.wav"));
        try (EventReader<AudioChunk> reader = AudioFiles.chunks(original, streamId, Integer.MAX_VALUE, CHUNK_MS)) {
            for (Optional<AudioChunk> next = reader.next(); next.isPresent(); next = reader.next()) {
                chunks.add(next.get());
            }
        }
    }

    @Override
    public List<String> outputTopics() {
        return List.of(tokens.name(), decodedTopic.name());
    }

    @Override
    public void produce(KafkaProducer<byte[], byte[]> producer) {
        for (int i = 0; i < chunks.size(); i++) {
            producer.send(new ProducerRecord<>(input.name(), key(streamId), input.valueSerde().serializer().serialize(input.name(), chunks.get(i))));
            if (i == 2) { // a chunk of 3 bytes of PCM16: not a whole number of samples
                AudioChunk odd = AudioChunk.newBuilder().setStreamId(badKey).setSeq(0).setTimestamp(Instant.now()).setSampleRate(16_000)
                        .setChannels(1).setFormat(AudioFormat.PCM_S16LE).setData(ByteBuffer.wrap(new byte[] {1, 2, 3})).build();
                producer.send(new ProducerRecord<>(input.name(), key(badKey), input.valueSerde().serializer().serialize(input.name(), odd)));
            }
        }
    }

    @Override
    public void accept(ConsumerRecord<byte[], byte[]> r) {
        if (r.key() == null || !new String(r.key(), StandardCharsets.UTF_8).equals(streamId)) {
            return;
        }
        if (r.topic().equals(tokens.name())) {
            TokenBatch b = tokens.valueSerde().deserializer().deserialize(r.topic(), r.value());
            AudioLayout layout = (AudioLayout) b.getLayout();
            tokensFull += (long) b.getStats().getPositionsTotal() * b.getTokensPerPosition();
            tokensOut += b.getTokens().size();
            for (int p : b.getPositions()) {
                bitsOut += codebook.slotBits(p % layout.getStagesPerFrame());
            }
            frames += layout.getFrameCount();
            silentFrames += layout.getSilentFrames().size();
            batches++;
        } else if (r.topic().equals(decodedTopic.name())) {
            DecodedAudio a = decodedTopic.valueSerde().deserializer().deserialize(r.topic(), r.value());
            decoded.put(a.getSeq(), a);
        }
    }

    @Override
    public boolean acceptDeadLetter(ConsumerRecord<byte[], byte[]> r) {
        return deadLetters.accept(r);
    }

    @Override
    public int badRecords() {
        return 1;
    }

    @Override
    public List<String> deadLetterReasons() {
        return deadLetters.reasons();
    }

    @Override
    public boolean complete() {
        return deadLetters.reasons().size() >= badRecords() && decoded.size() == chunks.size() && batches == chunks.size();
    }

    @Override
    public String units() {
        return "chunks";
    }

    @Override
    public int unitsDecoded() {
        return decoded.size();
    }

    /** The decoded samples in stream order, as many as the original has (the last batch flushed the rest). */
    private float[] decodedSamples() {
        float[] out = new float[original.frames()];
        for (DecodedAudio a : decoded.values()) {
            ByteBuffer data = a.getData().duplicate().order(ByteOrder.LITTLE_ENDIAN);
            for (long s = a.getFirstSample(); data.remaining() >= 2; s++) {
                short v = data.getShort();
                if (s >= 0 && s < out.length) {
                    out[(int) s] = v;
                }
            }
        }
        return out;
    }

    @Override
    public void printSummary(PrintStream out) {
        double seconds = original.seconds();
        boolean comparable = original.sampleRate() == codebook.sampleRate();
        double stoi = comparable && !decoded.isEmpty() ? Stoi.compute(original.mono(), decodedSamples(), original.sampleRate()) : Double.NaN;
        out.printf("%-18s %-30s %6s %7s %11s %11s %6s %6s %8s %6s%n", "stream", "input", "chunks", "decoded", "tokens full",
                "tokens out", "ratio", "kbps", "silence", "STOI");
        out.printf("%-18s %-30s %6d %7d %11d %11d %6.3f %6.2f %7.1f%% %6.3f%n", streamId,
                String.format("%.1f s speech, %d ms chunks", seconds, CHUNK_MS), chunks.size(), decoded.size(), tokensFull, tokensOut,
                tokensFull == 0 ? 0 : (double) tokensOut / tokensFull, bitsOut / seconds / 1000,
                frames == 0 ? 0 : 100.0 * silentFrames / frames, stoi);
    }

    @Override
    public void writeSamples(Path dir) throws IOException {
        Path streamDir = Files.createDirectories(dir.resolve(streamId));
        float[] samples = decodedSamples();
        ByteBuffer pcm = ByteBuffer.allocate(2 * samples.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float s : samples) {
            pcm.putShort((short) Math.round(s));
        }
        WavReader.write(streamDir.resolve("decoded.wav"), new PcmChunk(codebook.sampleRate(), 1, SampleFormat.PCM_S16LE, pcm.array()));
        if (original.sampleRate() == codebook.sampleRate()) {
            ImageIO.write(spectrograms(original.mono(), samples, original.sampleRate()), "png",
                    streamDir.resolve("original-vs-decoded-spectrogram.png").toFile());
        }
    }

    /** Original above, decoded below (4 black rows between): time left to right, frequency upwards, louder brighter. */
    static BufferedImage spectrograms(float[] original, float[] decoded, int sampleRate) {
        RgbFrame a = Spectrogram.of(original, sampleRate, 512, 160, 80).picture();
        RgbFrame b = Spectrogram.of(decoded, sampleRate, 512, 160, 80).picture();
        int height = a.height() + 4 + b.height();
        byte[] rgb = new byte[3 * a.width() * height];
        System.arraycopy(a.rgb(), 0, rgb, 0, a.rgb().length);
        int columns = Math.min(a.width(), b.width()); // the decoded audio may be a little shorter or longer
        for (int y = 0; y < b.height(); y++) {
            System.arraycopy(b.rgb(), 3 * y * b.width(), rgb, 3 * ((a.height() + 4 + y) * a.width()), 3 * columns);
        }
        return new RgbFrame(a.width(), height, rgb).toImage();
    }

    private static byte[] key(String id) {
        return id.getBytes(StandardCharsets.UTF_8);
    }
}
