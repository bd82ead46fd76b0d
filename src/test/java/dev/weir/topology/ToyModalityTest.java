package dev.weir.topology;

import dev.weir.avro.DecodedText;
import dev.weir.avro.ExtensionLayout;
import dev.weir.avro.TextEvent;
import dev.weir.avro.TokenBatch;
import dev.weir.codec.Encoded;
import dev.weir.codec.MediaFormatException;
import dev.weir.codec.StreamDecoder;
import dev.weir.codec.StreamEncoder;
import dev.weir.codec.TokenPacket;
import dev.weir.codec.TokenizerRef;
import dev.weir.serdes.ConfluentAvroSerde;
import dev.weir.serdes.InMemorySchemaRegistryClient;
import dev.weir.topology.modality.Modality;
import dev.weir.topology.modality.ModalityDescriptor;
import dev.weir.topology.modality.ModalityCodec;
import dev.weir.topology.video.VideoModality;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A modality written outside Weir's own code plugs into the real topology: a toy that tokenizes text into its
 * code points runs beside video through the generic processors, with its own topics, stores, schemas, layout
 * and decoded output, and the same dead letters, seq checks and metrics. Nothing of video's was edited for it.
 */
class ToyModalityTest {

    @Test
    void aToyModalityRunsThroughTheRealTopologyBesideVideo(@TempDir Path stateDir) {
        // given a topology of video and the toy, as a user registers a plug-in
        WeirConfig config = WeirConfig.of(Map.of(WeirConfig.BOOTSTRAP_SERVERS, "unused:9092",
                WeirConfig.KERNEL_BACKEND, "jvm-scalar"), Map.of());
        InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
        List<Modality<?, ?, ?, ?>> modalities = List.of(new VideoModality(), new CodePoints());
        WeirApp.registerSchemas(registry, config, modalities);
        Properties props = WeirApp.streamsProperties(config);
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "weir-toy");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        try (TopologyTestDriver driver = new TopologyTestDriver(WeirTopology.build(config, registry, modalities), props)) {
            TestInputTopic<String, TextEvent> in = driver.createInputTopic("weir.toy.lines", new StringSerializer(),
                    ConfluentAvroSerde.forValue(registry, TextEvent.class).serializer());
            TestOutputTopic<String, TokenBatch> tokens = driver.createOutputTopic("weir.toy.tokens", new StringDeserializer(),
                    ConfluentAvroSerde.forValue(registry, TokenBatch.class).deserializer());
            TestOutputTopic<String, DecodedText> decoded = driver.createOutputTopic("weir.toy.decoded", new StringDeserializer(),
                    ConfluentAvroSerde.forValue(registry, DecodedText.class).deserializer());

            // when a stream sends two lines, then a repeat of the first
            in.pipeInput("s", line(1, "héllo"));
            in.pipeInput("s", line(2, "wörld"));
            in.pipeInput("s", line(1, "héllo"));

            // then each line became a batch of its code points, with the toy's own layout and numbering
            List<TokenBatch> batches = tokens.readValuesToList();
            assertEquals(2, batches.size());
            assertEquals(dev.weir.avro.Modality.OTHER, batches.get(0).getModality());
            assertEquals(List.of((int) 'h', (int) 'é', (int) 'l', (int) 'l', (int) 'o'), batches.get(0).getTokens());
            assertEquals("toy", ((ExtensionLayout) batches.get(0).getLayout()).getModality());
            assertEquals(List.of(0L, 1L), batches.stream().map(TokenBatch::getBatchSeq).toList());
            // and the decoder rebuilt them from the token topic
            assertEquals(List.of("héllo", "wörld"), decoded.readValuesToList().stream().map(DecodedText::getText).toList());
            // and the repeat was set aside by the generic seq check, counted under the toy's processor
            assertEquals(1.0, DriverAssertions.metric(driver, "dead-letters-stale-seq-total", "toy-tokenizer"));
            assertEquals(2.0, DriverAssertions.metric(driver, "lines-tokenized-total", "toy-tokenizer"));
            assertTrue(driver.getAllStateStores().containsKey("weir-toy-encoder"), driver.getAllStateStores().keySet().toString());
            // and its schemas were registered under its own topics
            assertTrue(registry.lookup("weir.toy.lines-value", TextEvent.getClassSchema()).isPresent());
        }
    }

    private static TextEvent line(long seq, String text) {
        return TextEvent.newBuilder().setStreamId("s").setSeq(seq).setTimestamp(Instant.ofEpochMilli(1000 * seq)).setText(text).build();
    }

    /** The toy: a line of text is the token sequence of its code points. Stateless, one keyframe per line. */
    static final class CodePoints implements Modality<TextEvent, String, Integer, DecodedText> {

        static final TokenizerRef TOKENIZER = new TokenizerRef("toy-code-points", "1", "");

        private static final ModalityDescriptor<TextEvent, DecodedText> DESCRIPTOR =
                new ModalityDescriptor<>("toy", dev.weir.avro.Modality.OTHER, "lines", "lines", TextEvent.class, DecodedText.class);

        @Override
        public ModalityDescriptor<TextEvent, DecodedText> descriptor() {
            return DESCRIPTOR;
        }

        @Override
        public String streamId(TextEvent event) {
            return event.getStreamId();
        }

        @Override
        public long seq(TextEvent event) {
            return event.getSeq();
        }

        @Override
        public Instant timestamp(TextEvent event) {
            return event.getTimestamp();
        }

        @Override
        public String media(TextEvent event, int maxEventBytes) {
            return event.getText();
        }

        @Override
        public ModalityCodec<String, Integer> open(WeirConfig config) {
            return new ModalityCodec<>() {
                @Override
                public TokenizerRef tokenizer() {
                    return TOKENIZER;
                }

                @Override
                public String backend() {
                    return "jvm";
                }

                @Override
                public StreamEncoder<String, Integer> newEncoder() {
                    return new Encoder();
                }

                @Override
                public StreamDecoder<Integer, String> newDecoder() {
                    return new Decoder();
                }

                @Override
                public void close() {
                }
            };
        }

        @Override
        public Object layoutToAvro(Integer length) {
            return new ExtensionLayout("toy", ByteBuffer.wrap(new byte[] {(byte) (int) length}));
        }

        @Override
        public Integer layoutFromAvro(Object layout) {
            if (layout instanceof ExtensionLayout e && e.getModality().equals("toy")) {
                return (int) e.getData().get(0);
            }
            throw new MediaFormatException("not a toy layout: " + layout);
        }

        @Override
        public DecodedText decoded(TokenBatch batch, String text) {
            return DecodedText.newBuilder().setStreamId(batch.getStreamId()).setSeq(batch.getSeq())
                    .setTimestamp(batch.getTimestamp()).setText(text).setTokenizer(batch.getTokenizer()).build();
        }

        static final class Encoder implements StreamEncoder<String, Integer> {
            @Override
            public TokenizerRef tokenizer() {
                return TOKENIZER;
            }

            @Override
            public Encoded<Integer> encode(long seq, String text) {
                int[] tokens = text.codePoints().toArray();
                int[] positions = java.util.stream.IntStream.range(0, tokens.length).toArray();
                return new Encoded<>(new TokenPacket(seq, true, tokens.length, 1, positions, tokens, new int[0], 0,
                        tokens.length, 0), tokens.length);
            }

            @Override
            public byte[] snapshot() {
                return new byte[0];
            }

            @Override
            public void restore(byte[] snapshot) {
            }
        }

        static final class Decoder implements StreamDecoder<Integer, String> {
            @Override
            public TokenizerRef tokenizer() {
                return TOKENIZER;
            }

            @Override
            public String decode(Integer length, TokenPacket packet) {
                return new String(packet.tokens(), 0, length);
            }

            @Override
            public byte[] snapshot() {
                return new byte[0];
            }

            @Override
            public void restore(byte[] snapshot) {
            }
        }
    }
}
