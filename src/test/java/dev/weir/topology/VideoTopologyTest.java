package dev.weir.topology;

import dev.weir.avro.VideoGeometry;
import dev.weir.topology.video.VideoModality;
import dev.weir.avro.DecodedFrame;
import dev.weir.avro.PixelFormat;
import dev.weir.avro.TokenBatch;
import dev.weir.avro.VideoFrame;
import dev.weir.codec.video.VideoCodebook;
import dev.weir.serdes.ConfluentAvroSerde;
import dev.weir.serdes.InMemorySchemaRegistryClient;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
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

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static dev.weir.topology.DriverAssertions.assertWaitsForAKeyframe;
import static dev.weir.topology.DriverAssertions.header;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The video topology on Kafka Streams' TopologyTestDriver, with an in-memory schema registry. */
class VideoTopologyTest {

    static final ProcessorNames VIDEO = new ProcessorNames("video", "frames");

    /** Measured on these frames with the default P=16 codebook: about 24 dB; the floor leaves room below. */
    static final double PSNR_FLOOR_DB = 21.0;

    final WeirConfig config = WeirConfig.of(Map.of(WeirConfig.BOOTSTRAP_SERVERS, "unused:9092",
            WeirConfig.KERNEL_BACKEND, "jvm-scalar"), Map.of());
    final TopicNames topics = config.topics();
    final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();

    TopologyTestDriver driver;
    TestInputTopic<String, VideoFrame> frames;
    TestInputTopic<byte[], byte[]> rawFrames;
    TestOutputTopic<String, TokenBatch> tokens;
    TestOutputTopic<String, DecodedFrame> decoded;
    TestOutputTopic<byte[], byte[]> deadLetters;

    @BeforeEach
    void startDriver(@org.junit.jupiter.api.io.TempDir Path stateDir) {
        WeirApp.registerSchemas(registry, config, List.of(new VideoModality()));
        Properties props = WeirApp.streamsProperties(config);
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "weir-test");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        driver = new TopologyTestDriver(WeirTopology.build(config, registry, List.of(new VideoModality(c -> new FaultyKernels()))), props);
        frames = driver.createInputTopic(topics.of("video").input(), new StringSerializer(),
                ConfluentAvroSerde.forValue(registry, VideoFrame.class).serializer());
        rawFrames = driver.createInputTopic(topics.of("video").input(), new ByteArraySerializer(), new ByteArraySerializer());
        tokens = driver.createOutputTopic(topics.of("video").tokens(), new StringDeserializer(),
                ConfluentAvroSerde.forValue(registry, TokenBatch.class).deserializer());
        decoded = driver.createOutputTopic(topics.of("video").decoded(), new StringDeserializer(),
                ConfluentAvroSerde.forValue(registry, DecodedFrame.class).deserializer());
        deadLetters = driver.createOutputTopic(topics.deadLetters(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    @AfterEach
    void closeDriver() {
        FaultyKernels.failNearest = null;
        driver.close();
    }

    @Test
    void realFramesBecomeTokenBatchesAndDecodedFramesCloseToTheOriginal() {
        // given three real frames of one stream, as JPEG
        for (int n = 1; n <= 3; n++) {
            frames.pipeInput("cam-1", SampleFrames.treeFrame("cam-1", n));
        }

        // then each frame gives one token batch naming the default codebook, one token per patch
        List<TokenBatch> batches = tokens.readValuesToList();
        assertEquals(3, batches.size());
        VideoCodebook codebook = VideoCodebook.defaultFor(16);
        for (TokenBatch batch : batches) {
            assertEquals("cam-1", batch.getStreamId());
            assertEquals(codebook.hash(), batch.getTokenizer().getCodebookHash());
            assertEquals(20 * 15, batch.getStats().getPositionsTotal());
            assertEquals(batch.getPositions().size() * batch.getTokensPerPosition(), batch.getTokens().size());
            assertEquals(320, ((VideoGeometry) batch.getLayout()).getWidth());
        }
        assertEquals(List.of(1L, 2L, 3L), batches.stream().map(TokenBatch::getSeq).toList());

        // and each decoded frame, rebuilt from the token topic alone, is close to its original
        List<TestRecord<String, DecodedFrame>> out = decoded.readRecordsToList();
        assertEquals(3, out.size());
        for (TestRecord<String, DecodedFrame> record : out) {
            DecodedFrame frame = record.value();
            assertEquals("cam-1", record.key());
            byte[] original = SampleFrames.treeRgb((int) frame.getSeq()).rgb();
            double psnr = SampleFrames.psnr(original, SampleFrames.bytes(frame.getData()));
            assertTrue(psnr > PSNR_FLOOR_DB, "frame " + frame.getSeq() + " PSNR " + psnr + " dB");
        }
        assertTrue(deadLetters.isEmpty());
    }

    @Test
    void anUnchangedFrameIsServedFromTheCacheAndDecodesToTheSamePicture() {
        // given the same real frame three times in a stream (a static camera)
        for (int seq = 1; seq <= 3; seq++) {
            VideoFrame frame = SampleFrames.treeFrame("cam-static", 7);
            frame.setSeq(seq);
            frames.pipeInput("cam-static", frame);
        }

        // then the first batch is a keyframe with every patch, the next two reuse every position and send no tokens
        List<TokenBatch> batches = tokens.readValuesToList();
        assertEquals(3, batches.size());
        assertTrue(batches.get(0).getKeyframe());
        assertEquals(300, batches.get(0).getPositions().size());
        assertEquals("faulty-test", batches.get(0).getStats().getBackend());
        for (TokenBatch later : batches.subList(1, 3)) {
            assertFalse(later.getKeyframe());
            assertEquals(300, later.getReusedPositions().size());
            assertEquals(0, later.getTokens().size());
        }
        // and the decoder, holding its state, shows the same picture three times
        List<DecodedFrame> out = decoded.readValuesToList();
        assertEquals(3, out.size());
        assertArrayEquals(SampleFrames.bytes(out.get(0).getData()), SampleFrames.bytes(out.get(2).getData()));
        assertEquals(600.0, metric("positions-reused-total", VIDEO.tokenizer()));
        // and the kernel backend the work ran on is a tag of those metrics
        assertTrue(driver.metrics().keySet().stream().anyMatch(m -> m.name().equals("frames-tokenized-total")
                && "faulty-test".equals(m.tags().get("backend"))), "backend tag on frames-tokenized-total");
        // and, on a CPU backend, no stream holds device memory or fell back from a device
        assertEquals(0.0, metric("device-streams", VIDEO.tokenizer()));
        assertEquals(0.0, metric("device-fallbacks", VIDEO.tokenizer()));
    }

    @Test
    void aStreamWhoseStoredStateCannotBeRestoredStartsAfreshWithAKeyframe() {
        // given stored encoder and decoder state for a stream that cannot be restored (say, an old format)
        driver.getKeyValueStore(VIDEO.encoderStore()).put("cam-old", new byte[] {1, 2, 3});
        driver.getKeyValueStore(VIDEO.decoderStore()).put("cam-old", new byte[] {4, 5, 6});

        // when the stream sends a frame
        frames.pipeInput("cam-old", SampleFrames.treeFrame("cam-old", 2));

        // then the processors start the stream afresh instead of failing: a keyframe, decoded, no dead letter
        List<TokenBatch> batches = tokens.readValuesToList();
        assertEquals(1, batches.size());
        assertTrue(batches.get(0).getKeyframe());
        assertEquals(1, decoded.readValuesToList().size());
        assertTrue(deadLetters.isEmpty());
    }

    @Test
    void aFrameTooLargeToDecodeIntoARecordIsSetAsideBeforeItIsDecoded() {
        // given a small JPEG that declares 5000x5000 pixels: 75 MB of RGB once decoded, above the 32 MiB limit
        frames.pipeInput("cam-1", SampleFrames.frame("cam-1", 1, 5000, 5000, PixelFormat.JPEG, SampleFrames.treeJpeg(1)));
        frames.pipeInput("cam-1", SampleFrames.treeFrame("cam-1", 2));

        // then it is a dead letter for its size (not for the width mismatch a decode would find), and the stream goes on
        TestRecord<byte[], byte[]> dead = deadLetters.readRecord();
        assertEquals("oversized", header(dead, DeadLetterHeaders.REASON));
        assertTrue(header(dead, DeadLetterHeaders.MESSAGE).contains("75000000 bytes"), header(dead, DeadLetterHeaders.MESSAGE));
        assertEquals(List.of(2L), tokens.readValuesToList().stream().map(TokenBatch::getSeq).toList());
    }

    @Test
    void aDecoderWithoutStateWaitsForAKeyframeInsteadOfPaintingChangesOnBlack() {
        // given a stream's second batch (a delta, not a keyframe), replayed under a stream the decoder has never seen
        frames.pipeInput("cam-1", SampleFrames.treeFrame("cam-1", 1));
        frames.pipeInput("cam-1", SampleFrames.treeFrame("cam-1", 2));
        TokenBatch delta = tokens.readValuesToList().get(1);
        assertFalse(delta.getKeyframe());
        decoded.readValuesToList();
        delta.setStreamId("cam-late");
        var tokenInput = driver.createInputTopic(topics.of("video").tokens(), new StringSerializer(),
                ConfluentAvroSerde.forValue(registry, TokenBatch.class).serializer());

        // when that delta arrives
        tokenInput.pipeInput("cam-late", delta);

        // then nothing is decoded from it: it is a dead letter saying the decoder waits for a keyframe
        assertTrue(decoded.isEmpty());
        assertWaitsForAKeyframe(deadLetters.readRecord());
    }

    @Test
    void aFaultWhileTokenizingOneFrameIsADeadLetterNotAPoisonPill() {
        // given the codebook search fails (a bug) for one frame
        FaultyKernels.failNearest = () -> new IllegalStateException("simulated kernel bug");
        frames.pipeInput("cam-1", SampleFrames.treeFrame("cam-1", 1));
        FaultyKernels.failNearest = null;

        // when the stream goes on
        frames.pipeInput("cam-1", SampleFrames.treeFrame("cam-1", 2));

        // then the failed frame is a processing-error dead letter and the next frame is tokenized (as a keyframe)
        TestRecord<byte[], byte[]> dead = deadLetters.readRecord();
        assertEquals("processing-error", header(dead, DeadLetterHeaders.REASON));
        assertTrue(header(dead, DeadLetterHeaders.MESSAGE).contains("simulated kernel bug"), header(dead, DeadLetterHeaders.MESSAGE));
        List<TokenBatch> batches = tokens.readValuesToList();
        assertEquals(List.of(2L), batches.stream().map(TokenBatch::getSeq).toList());
        assertTrue(batches.get(0).getKeyframe());
    }

    @Test
    void aDeviceFailureIsNotBlamedOnTheRecord() {
        // given the device fails during the search (a lost GPU looks like this to the kernel layer)
        FaultyKernels.failNearest = () -> new dev.weir.kernels.KernelUnavailableException("device lost");

        // then the record is not set aside: the failure goes to Kafka Streams, which retries the task
        org.apache.kafka.streams.errors.StreamsException thrown = org.junit.jupiter.api.Assertions.assertThrows(
                org.apache.kafka.streams.errors.StreamsException.class,
                () -> frames.pipeInput("cam-1", SampleFrames.treeFrame("cam-1", 1)));
        assertTrue(thrown.getCause() instanceof dev.weir.kernels.KernelUnavailableException, String.valueOf(thrown.getCause()));
        assertTrue(deadLetters.isEmpty());
    }

    @Test
    void badFramesGoToTheDeadLetterTopicWithTheReasonAndTheStreamGoesOn() {
        // given a good frame, then four bad records, then another good frame
        frames.pipeInput("cam-1", SampleFrames.treeFrame("cam-1", 1));
        byte[] notAvro = "definitely not avro".getBytes(StandardCharsets.UTF_8);
        rawFrames.pipeInput("cam-1".getBytes(StandardCharsets.UTF_8), notAvro);
        frames.pipeInput("cam-1", SampleFrames.frame("cam-1", 2, 320, 240, PixelFormat.RGB24, new byte[100]));
        frames.pipeInput("cam-1", SampleFrames.frame("cam-1", 3, 320, 240, PixelFormat.JPEG, new byte[] {(byte) 0xFF, (byte) 0xD8, 1, 2, 3}));
        frames.pipeInput("other-key", SampleFrames.treeFrame("cam-1", 4));
        frames.pipeInput("cam-1", SampleFrames.treeFrame("cam-1", 5));

        // then the good frames come through, in order
        assertEquals(List.of(1L, 5L), tokens.readValuesToList().stream().map(TokenBatch::getSeq).toList());
        assertEquals(2, decoded.readValuesToList().size());

        // and each bad record is in the dead-letter topic, unchanged, with its reason and source
        List<TestRecord<byte[], byte[]>> dead = deadLetters.readRecordsToList();
        assertEquals(List.of("not-avro", "invalid-media", "invalid-media", "bad-key"),
                dead.stream().map(r -> header(r, DeadLetterHeaders.REASON)).toList());
        assertArrayEquals(notAvro, dead.get(0).value());
        assertEquals(topics.of("video").input(), header(dead.get(0), DeadLetterHeaders.SOURCE_TOPIC));
        assertEquals("1", header(dead.get(0), DeadLetterHeaders.SOURCE_OFFSET));
        assertTrue(header(dead.get(1), DeadLetterHeaders.MESSAGE).contains("100"), header(dead.get(1), DeadLetterHeaders.MESSAGE));
        assertEquals(VIDEO.tokenizer(), header(dead.get(3), DeadLetterHeaders.PROCESSOR));

        // and the metrics count them
        assertEquals(4.0, metric("dead-letters-total", VIDEO.tokenizer()));
        assertEquals(6.0, metric("records-in-total", VIDEO.tokenizer()));
    }

    @Test
    void aReplayedOrDuplicatedFrameIsNotEncodedTwice() {
        // given a stream sends frames 1 and 2, then 2 again (a producer retry) and 1 again (a replay), then 3
        for (int seq : new int[] {1, 2, 2, 1, 3}) {
            frames.pipeInput("cam-1", SampleFrames.treeFrame("cam-1", seq));
        }

        // then frames 1, 2 and 3 are tokenized and decoded once each
        assertEquals(List.of(1L, 2L, 3L), tokens.readValuesToList().stream().map(TokenBatch::getSeq).toList());
        assertEquals(3, decoded.readValuesToList().size());

        // and the repeats are dead letters of their own reason, counted by it
        List<TestRecord<byte[], byte[]>> dead = deadLetters.readRecordsToList();
        assertEquals(List.of("stale-seq", "stale-seq"), dead.stream().map(r -> header(r, DeadLetterHeaders.REASON)).toList());
        assertTrue(header(dead.get(0), DeadLetterHeaders.MESSAGE).contains("seq 2 of stream cam-1"), header(dead.get(0), DeadLetterHeaders.MESSAGE));
        assertEquals(2.0, metric("dead-letters-stale-seq-total", VIDEO.tokenizer()));
    }

    @Test
    void aDecoderThatSeesAGapInTheBatchNumbersWaitsForTheNextKeyframe() {
        // given a stream whose first three frames were tokenized (batches 0, 1, 2) and decoded
        for (int seq = 1; seq <= 3; seq++) {
            frames.pipeInput("cam-1", SampleFrames.treeFrame("cam-1", seq));
        }
        List<TokenBatch> batches = tokens.readValuesToList();
        assertEquals(List.of(0L, 1L, 2L), batches.stream().map(TokenBatch::getBatchSeq).toList());
        assertEquals(3, decoded.readValuesToList().size());
        var tokenInput = driver.createInputTopic(topics.of("video").tokens(), new StringSerializer(),
                ConfluentAvroSerde.forValue(registry, TokenBatch.class).serializer());

        // when batch 4 arrives after batch 2 (batch 3 was lost), then another delta
        tokenInput.pipeInput("cam-1", renumbered(batches.get(2), 10, 4));
        tokenInput.pipeInput("cam-1", renumbered(batches.get(2), 11, 5));

        // then neither is painted over the stale picture: both are dead letters, the gap is counted
        assertTrue(decoded.isEmpty());
        List<TestRecord<byte[], byte[]>> dead = deadLetters.readRecordsToList();
        assertEquals(List.of("undecodable-tokens", "undecodable-tokens"), dead.stream().map(r -> header(r, DeadLetterHeaders.REASON)).toList());
        assertTrue(header(dead.get(0), DeadLetterHeaders.MESSAGE).contains("batch 4 follows 2"), header(dead.get(0), DeadLetterHeaders.MESSAGE));
        assertTrue(header(dead.get(1), DeadLetterHeaders.MESSAGE).contains("waiting for a keyframe"), header(dead.get(1), DeadLetterHeaders.MESSAGE));
        assertEquals(1.0, metric("gaps-total", VIDEO.decoder()));

        // and the next keyframe is decoded again
        TokenBatch keyframe = renumbered(batches.get(0), 12, 6);
        assertTrue(keyframe.getKeyframe());
        tokenInput.pipeInput("cam-1", keyframe);
        assertEquals(List.of(12L), decoded.readValuesToList().stream().map(DecodedFrame::getSeq).toList());
    }

    private static TokenBatch renumbered(TokenBatch batch, long seq, long batchSeq) {
        return TokenBatch.newBuilder(batch).setSeq(seq).setBatchSeq(batchSeq).build();
    }

    @Test
    void anEmptyStreamIdIsABadKey() {
        // given a frame whose stream id, and key, are empty
        frames.pipeInput("", SampleFrames.treeFrame("", 1));

        // then it is a bad-key dead letter and nothing is tokenized
        assertTrue(tokens.isEmpty());
        TestRecord<byte[], byte[]> dead = deadLetters.readRecord();
        assertEquals("bad-key", header(dead, DeadLetterHeaders.REASON));
        assertTrue(header(dead, DeadLetterHeaders.MESSAGE).contains("empty"), header(dead, DeadLetterHeaders.MESSAGE));
    }

    @Test
    void tokenBatchesFromAnotherCodebookAreRefusedByTheDecoder() {
        // given a token batch that names a codebook this decoder does not have
        frames.pipeInput("cam-1", SampleFrames.treeFrame("cam-1", 1));
        TokenBatch batch = tokens.readValue();
        batch.getTokenizer().setCodebookHash("0".repeat(64));
        driver.createInputTopic(topics.of("video").tokens(), new StringSerializer(),
                ConfluentAvroSerde.forValue(registry, TokenBatch.class).serializer()).pipeInput("cam-1", batch);

        // then only the first (genuine) batch is decoded and the foreign one is a dead letter
        assertEquals(1, decoded.readValuesToList().size());
        TestRecord<byte[], byte[]> dead = deadLetters.readRecord();
        assertEquals("undecodable-tokens", header(dead, DeadLetterHeaders.REASON));
        assertEquals(VIDEO.decoder(), header(dead, DeadLetterHeaders.PROCESSOR));
    }

    private double metric(String name, String processor) {
        return DriverAssertions.metric(driver, name, processor);
    }
}
