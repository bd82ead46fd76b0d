package dev.weir.cli;

import dev.weir.avro.VideoFrame;
import dev.weir.serdes.ConfluentAvroSerde;
import dev.weir.serdes.SchemaRegistryClient;
import dev.weir.stack.internals.LoopbackPorts;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What the operations tests use to look at a running Weir: its HTTP endpoints, its metrics, a free port, frames to send. */
final class OpsProbe {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build(); // a loaded machine; a refusal is immediate
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})? (\\S+)$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    private OpsProbe() {
    }

    /** An HTTP answer; {@code status} -1 when the connection was refused. */
    record Answer(int status, String contentType, String body) {
        static final Answer REFUSED = new Answer(-1, "", "");
    }

    static Answer get(URI uri) throws InterruptedException {
        return send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build());
    }

    static Answer send(HttpRequest request) throws InterruptedException {
        try {
            HttpResponse<String> r = HTTP.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Answer(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body());
        } catch (ConnectException refused) {
            return Answer.REFUSED;
        } catch (IOException e) {
            return Answer.REFUSED; // reset while the server stops
        }
    }

    /** Polls {@code uri} until it answers {@code status} (or -1: refused), or fails after {@code timeout}. */
    static Answer await(URI uri, int status, Duration timeout) throws InterruptedException {
        return await(uri, a -> a.status() == status, Integer.toString(status), timeout);
    }

    /** Polls {@code uri} until its body contains {@code text}, or fails after {@code timeout}. */
    static Answer awaitBody(URI uri, String text, Duration timeout) throws InterruptedException {
        return await(uri, a -> a.body().contains(text), "a body with " + text, timeout);
    }

    private static Answer await(URI uri, Predicate<Answer> wanted, String what, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Answer last;
        while (!wanted.test(last = get(uri))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(uri + " did not answer " + what + " within " + timeout + "; last: " + last);
            }
            Thread.sleep(100);
        }
        return last;
    }

    /** A free loopback port that this JVM has not handed out before (two calls in a row never give the same one). */
    static int freePort() {
        return LoopbackPorts.free();
    }

    /**
     * The sum of the samples of {@code name} in a Prometheus text exposition whose labels include {@code labels};
     * empty when there is none.
     */
    static OptionalDouble sample(String exposition, String name, Map<String, String> labels) {
        double sum = 0;
        boolean found = false;
        for (String line : exposition.lines().toList()) {
            Matcher m = SAMPLE.matcher(line);
            if (line.startsWith("#") || !m.matches() || !m.group(1).equals(name)) {
                continue;
            }
            Map<String, String> have = new HashMap<>();
            Matcher l = LABEL.matcher(m.group(3) == null ? "" : m.group(3));
            while (l.find()) {
                have.put(l.group(1), l.group(2));
            }
            if (have.entrySet().containsAll(labels.entrySet())) {
                sum += Double.parseDouble(m.group(4));
                found = true;
            }
        }
        return found ? OptionalDouble.of(sum) : OptionalDouble.empty();
    }

    /** Produces frames {@code 1..count} of the tree sample as stream {@code streamId}, with {@code client}'s connection settings. */
    static void produceFrames(Map<String, String> client, SchemaRegistryClient registry, String topic, String streamId, int count)
            throws Exception {
        List<VideoFrame> frames = MediaFiles.videoFrames(Path.of("samples/video/tree"), streamId, count, 15);
        Map<String, Object> config = new HashMap<>(client);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 48 * 1024 * 1024);
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
            var serializer = ConfluentAvroSerde.forValue(registry, VideoFrame.class).serializer();
            for (VideoFrame frame : frames) {
                frame.setSeq(frame.getSeq() + 1);
                producer.send(new ProducerRecord<>(topic, streamId.getBytes(StandardCharsets.UTF_8), serializer.serialize(topic, frame))).get();
            }
        }
    }
}
