package dev.weir.topology;

import dev.weir.avro.AudioChunk;
import dev.weir.avro.AudioFormat;
import dev.weir.avro.DecodedAudio;
import dev.weir.avro.TokenBatch;
import dev.weir.codec.Encoded;
import dev.weir.codec.audio.AudioCodebook;
import dev.weir.codec.audio.AudioDecoder;
import dev.weir.codec.audio.AudioEncoder;
import dev.weir.codec.audio.AudioLayout;
import dev.weir.codec.audio.PcmChunk;
import dev.weir.codec.audio.SampleFormat;
import dev.weir.codec.audio.WavReader;
import dev.weir.kernels.Kernels;
import dev.weir.kernels.VectorKernels;
import dev.weir.serdes.ConfluentAvroSerde;
import dev.weir.serdes.InMemorySchemaRegistryClient;
import dev.weir.topology.audio.AudioModality;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static dev.weir.topology.DriverAssertions.header;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Audio through the real topology on Kafka Streams' TopologyTestDriver: real speech, chunked, and bad chunks. */
class AudioTopologyTest {

    static final ProcessorNames AUDIO = new ProcessorNames("audio", "chunks");

    final WeirConfig config = WeirConfig.of(Map.of(WeirConfig.BOOTSTRAP_SERVERS, "unused:9092",
            WeirConfig.MODALITIES, "audio", WeirConfig.MAX_EVENT_BYTES, "2000000"), Map.of());
    final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();

    TopologyTestDriver driver;
    TestInputTopic<String, AudioChunk> chunks;
    TestOutputTopic<String, TokenBatch> tokens;
    TestOutputTopic<String, DecodedAudio> decoded;
    TestOutputTopic<byte[], byte[]> deadLetters;

    @BeforeEach
    void startDriver(@TempDir Path stateDir) {
        WeirApp.registerSchemas(registry, config, List.of(new AudioModality()));
        Properties props = WeirApp.streamsProperties(config);
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "weir-audio-test");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        driver = new TopologyTestDriver(WeirTopology.build(config, registry), props);
        chunks = driver.createInputTopic("weir.audio.chunks", new StringSerializer(),
                ConfluentAvroSerde.forValue(registry, AudioChunk.class).serializer());
        tokens = driver.createOutputTopic("weir.audio.tokens", new StringDeserializer(),
                ConfluentAvroSerde.forValue(registry, TokenBatch.class).deserializer());
        decoded = driver.createOutputTopic("weir.audio.decoded", new StringDeserializer(),
                ConfluentAvroSerde.forValue(registry, DecodedAudio.class).deserializer());
        deadLetters = driver.createOutputTopic("weir.dead-letters", new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    @AfterEach
    void closeDriver() {
        driver.close();
    }

    @Test
    void speechInChunksBecomesTokenBatchesAndDecodedAudioOfEveryInputSample() throws Exception {
        // given 3 s of real speech, sent as 15 chunks of 200 ms, the last one ending the stream
        PcmChunk speech = WavReader.read(Path.of("samples/audio/librivox-sense-0880.wav"));
        List<AudioChunk> sent = chunksOf(speech, "mic", 6400);
        sent.forEach(c -> chunks.pipeInput("mic", c));

        // then every chunk gives one token batch and one decoded chunk
        List<TokenBatch> batches = tokens.readValuesToList();
        List<DecodedAudio> out = decoded.readValuesToList();
        assertEquals(sent.size(), batches.size());
        assertEquals(sent.size(), out.size(), deadLetters.isEmpty() ? "" : header(deadLetters.readRecord(), DeadLetterHeaders.MESSAGE));
        assertEquals("audio-mdct-rvq", batches.get(0).getTokenizer().getId());
        // and the decoded chunks tile the stream exactly: each starts where the last ended, and together they are the input's length
        long next = 0;
        int samples = 0;
        for (DecodedAudio a : out) {
            assertEquals(next, a.getFirstSample());
            int n = a.getData().remaining() / 2;
            next += n;
            samples += n;
            assertEquals(16_000, a.getSampleRate());
        }
        assertEquals(speech.frames(), samples);
        assertTrue(out.getLast().getEndOfStream());
        // and the compression sent fewer tokens than a full tokenization, counted by the metrics
        double full = DriverAssertions.metric(driver, "tokens-full-total", AUDIO.tokenizer());
        double emitted = DriverAssertions.metric(driver, "tokens-emitted-total", AUDIO.tokenizer());
        assertTrue(emitted < 0.8 * full, emitted + " of " + full);
        assertEquals(15.0, DriverAssertions.metric(driver, "chunks-decoded-total", AUDIO.decoder()));
        // and the decoded audio is exactly what the codec gives offline, chunk by chunk
        assertEquals(offline(sent), out.stream().map(a -> bytes(a.getData())).map(HexFormat.of()::formatHex).toList());
    }

    @Test
    void aDecoderResumesAfterALostBatchAndWhenItJoinsAStreamLate() throws Exception {
        // given the token batches of 3 s of speech in 200 ms chunks
        PcmChunk speech = WavReader.read(Path.of("samples/audio/librivox-sense-0880.wav"));
        chunksOf(speech, "mic", 6400).forEach(c -> chunks.pipeInput("mic", c));
        List<TokenBatch> batches = tokens.readValuesToList();
        List<DecodedAudio> whole = decoded.readValuesToList();
        TestInputTopic<String, TokenBatch> tokenInput = driver.createInputTopic("weir.audio.tokens", new StringSerializer(),
                ConfluentAvroSerde.forValue(registry, TokenBatch.class).serializer());

        // when another stream's decoder loses batch 4, and a third one's first batch is batch 7
        for (int i = 0; i < batches.size(); i++) {
            if (i != 4) {
                tokenInput.pipeInput("lossy", asStream(batches.get(i), "lossy"));
            }
            if (i >= 7) {
                tokenInput.pipeInput("late", asStream(batches.get(i), "late"));
            }
        }

        // then audio has no keyframe to wait for: every batch they got is decoded, and the gaps are counted
        assertTrue(deadLetters.isEmpty(), () -> header(deadLetters.readRecord(), DeadLetterHeaders.MESSAGE));
        List<DecodedAudio> out = decoded.readValuesToList();
        assertEquals(batches.size() - 1 + batches.size() - 7, out.size());
        assertEquals(2.0, DriverAssertions.metric(driver, "gaps-total", AUDIO.decoder()));
        // and each decoded chunk still starts where its batch says, with as many samples as the whole stream's
        for (DecodedAudio a : out) {
            DecodedAudio reference = whole.get((int) a.getSeq());
            assertEquals(reference.getFirstSample(), a.getFirstSample());
            assertEquals(reference.getData().remaining(), a.getData().remaining());
        }
    }

    @Test
    void badChunksAreDeadLettersWithTheirReasonsAndTheStreamGoesOn() {
        // given chunks with an odd byte count, a rate out of range, a NaN sample, too many bytes, then a good one
        byte[] nan = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putFloat(0.5f).putFloat(Float.NaN).array();
        chunks.pipeInput("mic", chunk("mic", 1, 16_000, AudioFormat.PCM_S16LE, new byte[3]));
        chunks.pipeInput("mic", chunk("mic", 2, 96_000, AudioFormat.PCM_S16LE, new byte[64]));
        chunks.pipeInput("mic", chunk("mic", 3, 16_000, AudioFormat.F32LE, nan));
        chunks.pipeInput("mic", chunk("mic", 4, 16_000, AudioFormat.PCM_S16LE, new byte[2_000_002]));
        chunks.pipeInput("mic", chunk("mic", 5, 16_000, AudioFormat.PCM_S16LE, new byte[6400]));

        // then each bad one is set aside with its reason, and the good one is tokenized and decoded
        List<TestRecord<byte[], byte[]>> dead = deadLetters.readRecordsToList();
        assertEquals(List.of("invalid-media", "invalid-media", "invalid-media", "oversized"),
                dead.stream().map(r -> header(r, DeadLetterHeaders.REASON)).toList());
        assertTrue(header(dead.get(1), DeadLetterHeaders.MESSAGE).contains("96000"), header(dead.get(1), DeadLetterHeaders.MESSAGE));
        assertEquals(List.of(5L), decoded.readValuesToList().stream().map(DecodedAudio::getSeq).toList());
    }

    /** The decoded samples, as hex, of the chunks through a codec pair of the topology's settings. */
    private List<String> offline(List<AudioChunk> sent) {
        AudioCodebook codebook = AudioModality.codebook(config);
        try (VectorKernels kernels = Kernels.vector("jvm")) {
            AudioEncoder encoder = AudioEncoder.create(codebook, kernels, AudioModality.compression(config));
            AudioDecoder decoder = AudioDecoder.create(codebook);
            return sent.stream().map(c -> {
                PcmChunk pcm = PcmChunk.of(c.getSampleRate(), c.getChannels(), SampleFormat.PCM_S16LE, bytes(c.getData()), Integer.MAX_VALUE);
                Encoded<AudioLayout> e = encoder.encode(c.getSeq(), pcm, c.getEndOfStream());
                return HexFormat.of().formatHex(decoder.decode(e.layout(), e.packet()).data());
            }).toList();
        }
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] out = new byte[buffer.remaining()];
        buffer.duplicate().get(out);
        return out;
    }

    private static TokenBatch asStream(TokenBatch batch, String stream) {
        return TokenBatch.newBuilder(batch).setStreamId(stream).build();
    }

    static List<AudioChunk> chunksOf(PcmChunk pcm, String stream, int bytes) {
        byte[] data = pcm.data();
        List<AudioChunk> out = new java.util.ArrayList<>();
        for (int offset = 0, seq = 0; offset < data.length; offset += bytes, seq++) {
            int end = Math.min(data.length, offset + bytes);
            AudioChunk c = chunk(stream, seq, pcm.sampleRate(), AudioFormat.PCM_S16LE, Arrays.copyOfRange(data, offset, end));
            c.setEndOfStream(end == data.length);
            out.add(c);
        }
        return out;
    }

    static AudioChunk chunk(String stream, long seq, int rate, AudioFormat format, byte[] data) {
        return AudioChunk.newBuilder().setStreamId(stream).setSeq(seq).setTimestamp(Instant.ofEpochMilli(1_000 + 200 * seq))
                .setSampleRate(rate).setChannels(1).setFormat(format).setData(ByteBuffer.wrap(data)).build();
    }
}
