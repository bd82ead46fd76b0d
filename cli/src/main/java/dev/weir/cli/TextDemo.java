package dev.weir.cli;

import dev.weir.avro.DecodedText;
import dev.weir.avro.TextEvent;
import dev.weir.avro.TextLayout;
import dev.weir.avro.TextLayoutKind;
import dev.weir.avro.TokenBatch;
import dev.weir.codec.text.TextEvaluation;
import dev.weir.serdes.SchemaRegistryClient;
import dev.weir.topology.Topic;
import dev.weir.topology.WeirConfig;
import dev.weir.topology.modality.ModalityTopicNames;
import dev.weir.topology.text.TextModality;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Text's part of the demo: a machine log and English prose, a message per line, and one message whose bytes
 * are not UTF-8; decoded messages are compared with the originals (lossless: every one equal) and written out.
 */
final class TextDemo implements DemoPart {

    /** One sample stream of this run. */
    record Sample(String streamId, String description, List<TextEvent> messages) {
    }

    /** Per stream: tokens full, tokens out, cache hits, template hits, templates learned, batches. */
    private final Map<String, long[]> counts = new LinkedHashMap<>();
    private final Map<String, Map<Long, String>> decoded = new LinkedHashMap<>();
    private final List<Sample> streams;
    private final Topic<String, TextEvent> events;
    private final Topic<String, TokenBatch> tokens;
    private final Topic<String, DecodedText> decodedTopic;
    private final String badKey;
    private final DemoDeadLetters deadLetters;

    TextDemo(WeirConfig config, SchemaRegistryClient registry, Path samples, String run) throws IOException {
        ModalityTopicNames names = config.topics().of(TextModality.NAME);
        this.events = Topic.avro(names.input(), TextEvent.class, registry, config.serdeConfig());
        this.tokens = Topic.avro(names.tokens(), TokenBatch.class, registry, config.serdeConfig());
        this.decodedTopic = Topic.avro(names.decoded(), DecodedText.class, registry, config.serdeConfig());
        this.badKey = "bad-text-" + run;
        this.deadLetters = new DemoDeadLetters(badKey);
        this.streams = List.of(
                sample("log-" + run, "dpkg.log lines (machine log)", samples.resolve("text/dpkg-excerpt.log")),
                sample("prose-" + run, "Jargon File lines (prose)", samples.resolve("text/jargon-excerpt.txt")));
        streams.forEach(s -> {
            counts.put(s.streamId(), new long[6]);
            decoded.put(s.streamId(), new TreeMap<>());
        });
    }

    private static Sample sample(String streamId, String description, Path file) throws IOException {
        List<TextEvent> messages = new ArrayList<>();
        try (EventReader<TextEvent> reader = TextFiles.open(file, streamId, Integer.MAX_VALUE, TextEvaluation.MessageMode.LINES, 30)) {
            for (Optional<TextEvent> next = reader.next(); next.isPresent(); next = reader.next()) {
                messages.add(next.get());
            }
        }
        return new Sample(streamId, description, messages);
    }

    @Override
    public List<String> outputTopics() {
        return List.of(tokens.name(), decodedTopic.name());
    }

    @Override
    public void produce(KafkaProducer<byte[], byte[]> producer) {
        int longest = streams.stream().mapToInt(s -> s.messages().size()).max().orElse(0);
        for (int i = 0; i < longest; i++) {
            for (Sample s : streams) {
                if (i < s.messages().size()) {
                    producer.send(new ProducerRecord<>(events.name(), key(s.streamId()),
                            events.valueSerde().serializer().serialize(events.name(), s.messages().get(i))));
                }
            }
            if (i == 2) {
                producer.send(new ProducerRecord<>(events.name(), key(badKey), notUtf8()));
            }
        }
    }

    /** A well-framed TextEvent whose text bytes are not UTF-8 (an é whose continuation byte is lost). */
    private byte[] notUtf8() {
        TextEvent event = TextEvent.newBuilder().setStreamId(badKey).setSeq(0).setTimestamp(Instant.now()).setText("caf\u00e9").build();
        byte[] bytes = events.valueSerde().serializer().serialize(events.name(), event);
        bytes[bytes.length - 1] = '(';
        return bytes;
    }

    @Override
    public void accept(ConsumerRecord<byte[], byte[]> r) {
        String key = r.key() == null ? "" : new String(r.key(), StandardCharsets.UTF_8);
        if (!counts.containsKey(key)) {
            return;
        }
        if (r.topic().equals(tokens.name())) {
            TokenBatch b = tokens.valueSerde().deserializer().deserialize(r.topic(), r.value());
            long[] c = counts.get(key);
            c[0] += b.getStats().getPositionsTotal() + b.getPrunedCount();
            c[1] += b.getTokens().size();
            TextLayout layout = (TextLayout) b.getLayout();
            c[2] += layout.getKind() == TextLayoutKind.CACHED ? 1 : 0;
            c[3] += layout.getKind() == TextLayoutKind.TEMPLATE ? 1 : 0;
            c[4] += layout.getLearnedTemplate() >= 0 ? 1 : 0;
            c[5]++;
        } else if (r.topic().equals(decodedTopic.name())) {
            DecodedText t = decodedTopic.valueSerde().deserializer().deserialize(r.topic(), r.value());
            decoded.get(key).put(t.getSeq(), t.getText());
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
        return deadLetters.reasons().size() >= badRecords() && streams.stream().allMatch(s -> decoded.get(s.streamId()).size() == s.messages().size()
                && counts.get(s.streamId())[5] == s.messages().size());
    }

    @Override
    public String units() {
        return "messages";
    }

    @Override
    public int unitsDecoded() {
        return decoded.values().stream().mapToInt(Map::size).sum();
    }

    /** Decoded messages equal to their originals. */
    private int exact(Sample s) {
        Map<Long, String> out = decoded.get(s.streamId());
        return (int) s.messages().stream().filter(m -> m.getText().equals(out.get(m.getSeq()))).count();
    }

    @Override
    public void printSummary(PrintStream out) {
        out.printf("%-18s %-30s %8s %7s %11s %11s %6s %6s %9s %9s%n", "stream", "input", "messages", "decoded",
                "tokens full", "tokens out", "ratio", "cached", "templated", "exact");
        for (Sample s : streams) {
            long[] c = counts.get(s.streamId());
            out.printf("%-18s %-30s %8d %7d %11d %11d %6.3f %6d %9d %5d/%-3d%n", s.streamId(), s.description(),
                    s.messages().size(), decoded.get(s.streamId()).size(), c[0], c[1], c[0] == 0 ? 0 : (double) c[1] / c[0],
                    c[2], c[3], exact(s), s.messages().size());
        }
    }

    @Override
    public void writeSamples(Path dir) throws IOException {
        for (Sample s : streams) {
            Path streamDir = Files.createDirectories(dir.resolve(s.streamId()));
            Files.write(streamDir.resolve("decoded.txt"), decoded.get(s.streamId()).values(), StandardCharsets.UTF_8);
        }
    }

    private static byte[] key(String streamId) {
        return streamId.getBytes(StandardCharsets.UTF_8);
    }
}
