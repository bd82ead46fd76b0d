package dev.weir.topology;

import dev.weir.topology.video.VideoModality;
import dev.weir.avro.DecodedFrame;
import dev.weir.avro.TokenBatch;
import dev.weir.avro.VideoFrame;
import dev.weir.serdes.ConfluentAvroSerde;
import dev.weir.serdes.InMemorySchemaRegistryClient;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static dev.weir.topology.DriverAssertions.assertWaitsForAKeyframe;
import static dev.weir.topology.DriverAssertions.header;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code weir.stream.idle.timeout.ms} on the TopologyTestDriver: the state of a stream that stops sending
 * is deleted once the task's stream time has passed the timeout, and the stream starts afresh if it returns.
 */
class StreamIdleTimeoutTest {

    static final ProcessorNames VIDEO = new ProcessorNames("video", "frames");

    static final Duration TIMEOUT = Duration.ofHours(1);
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @TempDir
    Path stateDir;

    final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
    TopicNames topics;
    TopologyTestDriver driver;
    TestInputTopic<String, VideoFrame> frames;
    TestInputTopic<String, TokenBatch> tokenInput;
    TestOutputTopic<String, TokenBatch> tokens;
    TestOutputTopic<String, DecodedFrame> decoded;
    TestOutputTopic<byte[], byte[]> deadLetters;

    @AfterEach
    void closeDriver() {
        if (driver != null) {
            driver.close();
        }
    }

    @Test
    void aStreamIdlePastTheTimeoutIsDeletedWhenOtherStreamsAdvanceStreamTime() {
        // given a stream that sent two frames and went away
        start(TIMEOUT);
        frames.pipeInput("cam-gone", SampleFrames.treeFrame("cam-gone", 1), T0);
        frames.pipeInput("cam-gone", SampleFrames.treeFrame("cam-gone", 2), T0.plusMillis(66));
        assertTrue(holds(VIDEO.encoderStore(), "cam-gone"));

        // when another stream's frames move the task's stream time past the timeout (the decoder's: twice it)
        frames.pipeInput("cam-other", SampleFrames.treeFrame("cam-other", 1), T0.plus(TIMEOUT.multipliedBy(2)).plusSeconds(30));
        frames.pipeInput("cam-other", SampleFrames.treeFrame("cam-other", 2), T0.plus(TIMEOUT.multipliedBy(2)).plusSeconds(90));

        // then the gone stream's state and last activity are deleted from both processors' stores
        for (String store : List.of(VIDEO.encoderStore(), VIDEO.decoderStore(),
                VIDEO.encoderLastSeenStore(), VIDEO.decoderLastSeenStore())) {
            assertFalse(holds(store, "cam-gone"), store + " still holds cam-gone");
            assertTrue(holds(store, "cam-other"), store + " lost cam-other");
        }
        // and the deletion reached the changelog as a tombstone, so it survives a restart
        TestRecord<String, byte[]> last = changelog(VIDEO.encoderStore()).readRecordsToList().stream()
                .filter(r -> r.key().equals("cam-gone")).toList().getLast();
        assertTrue(last.value() == null, "the last changelog record of cam-gone is a tombstone");
        // and each processor counts one expired stream
        assertEquals(1.0, metric("streams-expired-total", VIDEO.tokenizer()));
        assertEquals(1.0, metric("streams-expired-total", VIDEO.decoder()));
        assertEquals(1.0, metric("streams-stored", VIDEO.tokenizer()));
    }

    @Test
    void anExpiredStreamThatReturnsStartsWithAKeyframeThatDecodes() {
        // given a stream whose state was deleted after the timeout
        start(TIMEOUT);
        frames.pipeInput("cam-back", SampleFrames.treeFrame("cam-back", 1), T0);
        frames.pipeInput("cam-other", SampleFrames.treeFrame("cam-other", 1), T0.plus(TIMEOUT).plusSeconds(90));
        assertFalse(holds(VIDEO.encoderStore(), "cam-back"));
        tokens.readValuesToList();
        decoded.readValuesToList();

        // when it returns
        frames.pipeInput("cam-back", SampleFrames.treeFrame("cam-back", 2), T0.plus(TIMEOUT).plusSeconds(120));
        frames.pipeInput("cam-back", SampleFrames.treeFrame("cam-back", 3), T0.plus(TIMEOUT).plusSeconds(121));

        // then its first batch is a keyframe, and the decoder rebuilds its frames close to the originals
        List<TokenBatch> batches = tokens.readValuesToList();
        assertEquals(List.of(2L, 3L), batches.stream().map(TokenBatch::getSeq).toList());
        assertTrue(batches.get(0).getKeyframe());
        List<DecodedFrame> out = decoded.readValuesToList();
        assertEquals(2, out.size());
        for (DecodedFrame frame : out) {
            double psnr = SampleFrames.psnr(SampleFrames.treeRgb((int) frame.getSeq()).rgb(), SampleFrames.bytes(frame.getData()));
            assertTrue(psnr > VideoTopologyTest.PSNR_FLOOR_DB, "frame " + frame.getSeq() + " PSNR " + psnr + " dB");
        }
        assertTrue(deadLetters.isEmpty());
    }

    @Test
    void aStreamThatReturnsAfterTheTimeoutStartsAfreshEvenBeforeASweepRemovedIt() {
        // given a static camera alone on its task: within the timeout an unchanged frame is not a keyframe
        start(TIMEOUT);
        frames.pipeInput("cam-static", staticFrame(1), T0);
        frames.pipeInput("cam-static", staticFrame(2), T0.plus(TIMEOUT));
        assertFalse(tokens.readValuesToList().getLast().getKeyframe());

        // when the same picture comes again just over the timeout later, with no other stream to drive a sweep
        frames.pipeInput("cam-static", staticFrame(3), T0.plus(TIMEOUT.multipliedBy(2)).plusMillis(1));

        // then the tokenizer started it afresh with a keyframe, which the decoder (which keeps idle streams
        // twice as long) decodes over the picture it still held
        assertTrue(tokens.readValuesToList().getLast().getKeyframe());
        assertEquals(3, decoded.readValuesToList().size());
        assertEquals(1.0, metric("streams-expired-total", VIDEO.tokenizer()));
        assertEquals(0.0, metric("streams-expired-total", VIDEO.decoder()));
        assertTrue(deadLetters.isEmpty());
    }

    @Test
    void aDeltaBatchForAnExpiredStreamWaitsForAKeyframeAsForAnUnknownStream() {
        // given a stream's delta batch, and the stream's decoder state deleted after the timeout
        start(TIMEOUT);
        frames.pipeInput("cam-1", SampleFrames.treeFrame("cam-1", 1), T0);
        frames.pipeInput("cam-1", SampleFrames.treeFrame("cam-1", 2), T0.plusMillis(66));
        TokenBatch delta = tokens.readValuesToList().getLast();
        assertFalse(delta.getKeyframe());
        frames.pipeInput("cam-other", SampleFrames.treeFrame("cam-other", 1), T0.plus(TIMEOUT.multipliedBy(2)).plusSeconds(90));
        assertFalse(holds(VIDEO.decoderStore(), "cam-1"));
        decoded.readValuesToList();

        // when the delta batch reaches the decoder again
        tokenInput.pipeInput("cam-1", delta, T0.plus(TIMEOUT.multipliedBy(2)).plusSeconds(91));

        // then nothing is decoded from it: it is a dead letter saying the decoder waits for a keyframe
        assertTrue(decoded.isEmpty());
        assertWaitsForAKeyframe(deadLetters.readRecord());
    }

    @Test
    void anActiveStreamKeepsItsStateWhileAnIdleOneIsDeleted() {
        // given one stream that sends every 20 minutes for three hours and one that sent once at the start
        start(TIMEOUT);
        frames.pipeInput("cam-idle", SampleFrames.treeFrame("cam-idle", 1), T0);
        for (int n = 1; n <= 9; n++) {
            frames.pipeInput("cam-active", SampleFrames.treeFrame("cam-active", n), T0.plus(Duration.ofMinutes(20L * n)));
        }

        // then the idle stream is gone, and the active one is kept with its last activity
        assertFalse(holds(VIDEO.encoderStore(), "cam-idle"));
        assertTrue(holds(VIDEO.encoderStore(), "cam-active"));
        assertEquals(T0.plus(Duration.ofMinutes(180)).toEpochMilli(),
                driver.getKeyValueStore(VIDEO.encoderLastSeenStore()).get("cam-active"));
        assertEquals(1.0, metric("streams-expired-total", VIDEO.tokenizer()));
    }

    @Test
    void aZeroTimeoutKeepsIdleStreamsForever() {
        // given the timeout turned off, and a static camera that then goes quiet
        start(Duration.ZERO);
        frames.pipeInput("cam-static", staticFrame(1), T0);

        // when other streams run for ten years of stream time, and the camera returns
        frames.pipeInput("cam-other", SampleFrames.treeFrame("cam-other", 1), T0.plus(Duration.ofDays(3650)));
        frames.pipeInput("cam-other", SampleFrames.treeFrame("cam-other", 2), T0.plus(Duration.ofDays(3651)));
        assertTrue(holds(VIDEO.encoderStore(), "cam-static"));
        frames.pipeInput("cam-static", staticFrame(2), T0.plus(Duration.ofDays(3652)));

        // then its state was kept: the unchanged picture is not a keyframe, and nothing was expired
        TokenBatch back = tokens.readValuesToList().getLast();
        assertEquals("cam-static", back.getStreamId());
        assertFalse(back.getKeyframe());
        assertEquals(0.0, metric("streams-expired-total", VIDEO.tokenizer()));
        assertEquals(0.0, metric("streams-expired-total", VIDEO.decoder()));
    }

    private void start(Duration timeout) {
        WeirConfig config = WeirConfig.of(Map.of(WeirConfig.BOOTSTRAP_SERVERS, "unused:9092", WeirConfig.KERNEL_BACKEND, "jvm-scalar",
                WeirConfig.STREAM_IDLE_TIMEOUT_MS, Long.toString(timeout.toMillis())), Map.of());
        topics = config.topics();
        WeirApp.registerSchemas(registry, config, List.of(new VideoModality()));
        Properties props = WeirApp.streamsProperties(config);
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "weir-test");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        driver = new TopologyTestDriver(WeirTopology.build(config, registry, List.of(new VideoModality(c -> new FaultyKernels()))), props);
        frames = driver.createInputTopic(topics.of("video").input(), new StringSerializer(),
                ConfluentAvroSerde.forValue(registry, VideoFrame.class).serializer());
        tokenInput = driver.createInputTopic(topics.of("video").tokens(), new StringSerializer(),
                ConfluentAvroSerde.forValue(registry, TokenBatch.class).serializer());
        tokens = driver.createOutputTopic(topics.of("video").tokens(), new StringDeserializer(),
                ConfluentAvroSerde.forValue(registry, TokenBatch.class).deserializer());
        decoded = driver.createOutputTopic(topics.of("video").decoded(), new StringDeserializer(),
                ConfluentAvroSerde.forValue(registry, DecodedFrame.class).deserializer());
        deadLetters = driver.createOutputTopic(topics.deadLetters(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** The same real picture under another sequence number: a camera that sees no change. */
    private static VideoFrame staticFrame(long seq) {
        VideoFrame frame = SampleFrames.treeFrame("cam-static", 7);
        frame.setSeq(seq);
        return frame;
    }

    /** Whether {@code store} has an entry for {@code streamId} (without printing a snapshot when it fails). */
    private boolean holds(String store, String streamId) {
        return driver.getKeyValueStore(store).get(streamId) != null;
    }

    private TestOutputTopic<String, byte[]> changelog(String store) {
        return driver.createOutputTopic("weir-test-" + store + "-changelog", new StringDeserializer(), new ByteArrayDeserializer());
    }

    private double metric(String name, String processor) {
        return DriverAssertions.metric(driver, name, processor);
    }
}
