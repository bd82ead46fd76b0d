package dev.weir.cli;

import dev.weir.avro.DecodedAudio;
import dev.weir.avro.DecodedFrame;
import dev.weir.avro.DecodedText;
import dev.weir.topology.Modalities;
import org.apache.avro.specific.SpecificRecord;
import dev.weir.avro.TokenBatch;
import dev.weir.serdes.ConfluentAvroSerde;
import dev.weir.serdes.RestSchemaRegistryClient;
import dev.weir.serdes.SchemaRegistryClient;
import dev.weir.topology.ClusterCheck;
import dev.weir.topology.WeirConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

@Command(name = "consume", mixinStandardHelpOptions = true,
        description = "Pretty-print Weir's output topics: token batches, decoded frames or dead letters (read_committed, no consumer group).")
final class ConsumeCommand implements Callable<Integer> {

    /** What to read; {@link #parse} takes the names users see ({@code dead-letters}, as in {@code weir.dead-letters}). */
    enum What {
        TOKENS, DECODED, DEAD_LETTERS;

        static What parse(String name) {
            String n = name.toLowerCase(java.util.Locale.ROOT).replace('_', '-');
            if (n.startsWith("weir.")) {
                n = n.substring("weir.".length());
            }
            return switch (n) {
                case "tokens", "token-batches" -> TOKENS;
                case "decoded" -> DECODED;
                case "dead-letters", "deadletters", "dlq" -> DEAD_LETTERS;
                default -> throw new picocli.CommandLine.TypeConversionException("'" + name
                        + "' is not something to consume: tokens, decoded or dead-letters");
            };
        }
    }

    @Mixin
    ConfigOptions options = new ConfigOptions();

    @Parameters(index = "0", paramLabel = "WHAT", converter = WhatConverter.class, description = "tokens, decoded or dead-letters.")
    What what;

    static final class WhatConverter implements picocli.CommandLine.ITypeConverter<What> {
        @Override
        public What convert(String value) {
            return What.parse(value);
        }
    }

    @Option(names = {"-m", "--modality"}, paramLabel = "NAME", description = "Whose tokens or decoded media: video, audio or text (default: ${DEFAULT-VALUE}).")
    String modality = "video";

    @Option(names = "--from-beginning", description = "Start at the earliest offset instead of the end.")
    boolean fromBeginning;

    @Option(names = {"-n", "--max"}, paramLabel = "N", description = "Stop after N records (default: ${DEFAULT-VALUE}).")
    int max = Integer.MAX_VALUE;

    @Option(names = "--timeout", paramLabel = "SECONDS", description = "Stop after this long without a record (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds = 10;

    @Override
    public Integer call() throws Exception {
        WeirConfig config = options.load();
        String topic = topicOf(config);
        ClusterCheck.maxMessageBytes(config, java.util.List.of(topic), config.startupTimeout());
        Map<String, Object> consumerConfig = new java.util.TreeMap<>(config.clientConfig(ConsumerConfig.configNames()));
        consumerConfig.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumerConfig.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, config.getInt(WeirConfig.MAX_EVENT_BYTES) + 1024 * 1024);
        try (SchemaRegistryClient registry = new RestSchemaRegistryClient(config.serdeConfig());
             KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerConfig, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            if (fromBeginning) {
                consumer.seekToBeginning(partitions);
            } else {
                consumer.seekToEnd(partitions);
            }
            Deserializer<TokenBatch> tokens = ConfluentAvroSerde.forValue(registry, TokenBatch.class).deserializer();
            Deserializer<? extends SpecificRecord> decoded = ConfluentAvroSerde.forValue(registry,
                    Modalities.named(modality).decodedClass()).deserializer();
            int seen = 0;
            long idleSince = System.nanoTime();
            while (seen < max && System.nanoTime() - idleSince < Duration.ofSeconds(timeoutSeconds).toNanos()) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    idleSince = System.nanoTime();
                    System.out.println(switch (what) {
                        case TOKENS -> describe(tokens.deserialize(topic, r.value()));
                        case DECODED -> describeDecoded(decoded.deserialize(topic, r.value()));
                        case DEAD_LETTERS -> describeDeadLetter(r);
                    });
                    if (++seen >= max) {
                        break;
                    }
                }
            }
        }
        return 0;
    }

    private String topicOf(WeirConfig config) {
        return switch (what) {
            case TOKENS -> config.topics().of(modality).tokens();
            case DECODED -> config.topics().of(modality).decoded();
            case DEAD_LETTERS -> config.topics().deadLetters();
        };
    }

    static String describe(TokenBatch b) {
        var s = b.getStats();
        String head = b.getTokens().stream().limit(8).map(String::valueOf).collect(Collectors.joining(","));
        return String.format("%s seq=%d %s%s emitted=%d/%d positions (x%d tokens) reused=%d pruned=%d tokenizer=%s/%s codebook=%.12s backend=%s tokens=[%s%s]",
                b.getStreamId(), b.getSeq(), b.getModality(), b.getKeyframe() ? " KEYFRAME" : "", b.getPositions().size(),
                s.getPositionsTotal(), b.getTokensPerPosition(), b.getReusedPositions().size(), b.getPrunedCount(),
                b.getTokenizer().getId(), b.getTokenizer().getVersion(), b.getTokenizer().getCodebookHash(), s.getBackend(),
                head, b.getTokens().size() > 8 ? ",..." : "");
    }

    static String describeDecoded(SpecificRecord decoded) {
        return switch (decoded) {
            case DecodedFrame f -> describe(f);
            case DecodedAudio a -> String.format("%s seq=%d %d samples at %d Hz from sample %d%s", a.getStreamId(), a.getSeq(),
                    a.getData().remaining() / 2 / Math.max(1, a.getChannels()), a.getSampleRate(), a.getFirstSample(),
                    a.getEndOfStream() ? " END OF STREAM" : "");
            case DecodedText t -> String.format("%s seq=%d %d chars: %s", t.getStreamId(), t.getSeq(), t.getText().length(),
                    abbreviate(t.getText(), 120));
            default -> decoded.toString();
        };
    }

    private static String abbreviate(String text, int chars) {
        String line = text.replace("\n", "\\n");
        return line.length() <= chars ? line : line.substring(0, chars - 1) + "…";
    }

    static String describe(DecodedFrame f) {
        return String.format("%s seq=%d %dx%d %s %d bytes", f.getStreamId(), f.getSeq(), f.getWidth(), f.getHeight(),
                f.getFormat(), f.getData().remaining());
    }

    static String describeDeadLetter(ConsumerRecord<byte[], byte[]> r) {
        StringBuilder out = new StringBuilder();
        out.append("key=").append(r.key() == null ? "null" : new String(r.key(), StandardCharsets.UTF_8))
                .append(" value=").append(r.value() == null ? 0 : r.value().length).append(" bytes");
        for (Header h : r.headers()) {
            if (h.key().startsWith("weir.")) {
                out.append(' ').append(h.key()).append('=').append(new String(h.value(), StandardCharsets.UTF_8));
            }
        }
        return out.toString();
    }
}
