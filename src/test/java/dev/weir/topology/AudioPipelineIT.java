package dev.weir.topology;

import dev.weir.avro.AudioChunk;
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
import dev.weir.topology.audio.AudioModality;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Audio through a real broker and registry: speech in 200 ms chunks, token batches and decoded PCM out
 * (read_committed), and the encoder's and decoder's state restored from the changelogs after a restart that wiped
 * the local state, so that the output is the very bytes of an uninterrupted run.
 */
class AudioPipelineIT {

    static final Duration WAIT = Duration.ofSeconds(90);

    static PipelineStack pipeline;

    @BeforeAll
    static void startStack(@TempDir Path dir) throws Exception {
        pipeline = PipelineStack.start(dir, Map.of(WeirConfig.APPLICATION_ID, "weir-audio-it", WeirConfig.MODALITIES, "audio"));
    }

    @AfterAll
    static void stopStack() {
        if (pipeline != null) {
            pipeline.close();
        }
    }

    static WeirConfig config() {
        return pipeline.config();
    }

    @Test
    void speechDecodesToTheBytesOfAnUninterruptedRunAcrossARestartWithWipedState() throws Exception {
        List<AudioChunk> chunks = AudioTopologyTest.chunksOf(WavReader.read(Path.of("samples/audio/librivox-sense-0880.wav")), "mic", 6400);
        WeirConfig config = config();
        try (KafkaProducer<String, AudioChunk> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                pipeline.bootstrapServers()), new StringSerializer(), ConfluentAvroSerde.forValue(pipeline.registry(), AudioChunk.class).serializer());
             ModalityOutputs<DecodedAudio> outputs = new ModalityOutputs<>(pipeline, "audio", DecodedAudio.class, DecodedAudio::getSeq,
                     a -> HexFormat.of().formatHex(bytes(a.getData())), WAIT)) {
            // given the first 7 chunks went through the application
            try (WeirApp app = WeirApp.start(config)) {
                app.awaitRunning(WAIT);
                send(producer, chunks.subList(0, 7));
                outputs.await(() -> outputs.decoded.size() >= 7);
            }
            // when the application restarts with its local state wiped, and the other 8 come
            VideoPipelineIT.deleteRecursively(pipeline.stateDir());
            try (WeirApp app = WeirApp.start(config)) {
                app.awaitRunning(WAIT);
                send(producer, chunks.subList(7, chunks.size()));
                // (a read_committed reader may see a decoded chunk a poll before its token batch: wait for both)
                outputs.await(() -> outputs.decoded.size() >= chunks.size() && outputs.batches.size() >= chunks.size());
            }

            // then every chunk was tokenized and decoded once, in order, into exactly the samples of an offline run
            assertEquals(chunks.size(), outputs.batches.size());
            assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L, 12L, 13L, 14L),
                    outputs.batches.stream().map(TokenBatch::getBatchSeq).toList());
            assertEquals(offline(chunks, config), List.copyOf(outputs.decoded.values()));
        }
    }

    /** Each chunk's decoded samples (hex) through one encoder and decoder with the application's settings. */
    private static List<String> offline(List<AudioChunk> chunks, WeirConfig config) {
        AudioCodebook codebook = AudioModality.codebook(config);
        try (VectorKernels kernels = Kernels.vector("jvm")) {
            AudioEncoder encoder = AudioEncoder.create(codebook, kernels, AudioModality.compression(config));
            AudioDecoder decoder = AudioDecoder.create(codebook);
            return chunks.stream().map(c -> {
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

    private static void send(KafkaProducer<String, AudioChunk> producer, List<AudioChunk> chunks) {
        chunks.forEach(c -> producer.send(new ProducerRecord<>("weir.audio.chunks", "mic", c)));
        producer.flush();
    }
}
