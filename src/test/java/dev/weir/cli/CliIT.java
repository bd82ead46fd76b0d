package dev.weir.cli;

import dev.weir.stack.LocalStack;
import dev.weir.topology.WeirApp;
import dev.weir.topology.WeirConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The operator commands against a real local stack: topics, produce, run (as the app) and consume. */
class CliIT {

    static LocalStack stack;
    static Path stateDir;

    @BeforeAll
    static void startStack(@TempDir Path dir) throws Exception {
        stack = LocalStack.start(dir.resolve("stack"));
        stateDir = dir.resolve("state");
    }

    @AfterAll
    static void stopStack() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void topicsProduceAndConsumeWorkAsAnOperatorUsesThem() throws Exception {
        String[] endpoints = {"-b", stack.bootstrapServers(), "-r", stack.registryUrl()};

        // when the operator creates the topics (twice: the second run finds them all)
        Run topics = weir(concat(new String[] {"topics"}, endpoints));
        Run again = weir(concat(new String[] {"topics"}, endpoints));

        // then they exist with the configured partitions and size limit
        assertEquals(0, topics.exit, topics.out);
        assertTrue(topics.out.contains("created [weir.video.frames, weir.video.tokens, weir.video.decoded, weir.audio.chunks, "
                + "weir.audio.tokens, weir.audio.decoded, weir.text.events, weir.text.tokens, weir.text.decoded, weir.dead-letters]"), topics.out);
        assertTrue(topics.out.contains("max.message.bytes=33554432"), topics.out);
        assertTrue(again.out.contains("all topics exist"), again.out);

        // given the topology runs
        WeirConfig config = WeirConfig.of(Map.of(WeirConfig.BOOTSTRAP_SERVERS, stack.bootstrapServers(),
                WeirConfig.SCHEMA_REGISTRY_URL, stack.registryUrl(), WeirConfig.APPLICATION_ID, "weir-cli-it",
                WeirConfig.KERNEL_BACKEND, "jvm", StreamsConfig.STATE_DIR_CONFIG, stateDir.toString()), Map.of());
        try (WeirApp app = WeirApp.start(config)) {
            app.awaitRunning(Duration.ofSeconds(90));

            // when three real frames are produced from the sample folder
            Run produce = weir(concat(new String[] {"produce", "video", "--input", "samples/video/tree", "--stream", "cli-cam", "--limit", "3"}, endpoints));
            assertEquals(0, produce.exit, produce.out);
            assertTrue(produce.out.contains("produced 3 frames of cli-cam"), produce.out);

            // then consume pretty-prints their three token batches and three decoded frames
            Run tokens = weir(concat(new String[] {"consume", "tokens", "--from-beginning", "--max", "3", "--timeout", "60"}, endpoints));
            Run decoded = weir(concat(new String[] {"consume", "decoded", "--from-beginning", "--max", "3", "--timeout", "60"}, endpoints));
            assertEquals(3, lines(tokens.out, "cli-cam seq="), tokens.out);
            assertTrue(tokens.out.contains("cli-cam seq=0 VIDEO KEYFRAME"), tokens.out);
            assertTrue(tokens.out.contains("tokenizer=video-patch-dcvq"), tokens.out);
            assertEquals(3, lines(decoded.out, "cli-cam seq="), decoded.out);
            assertTrue(decoded.out.contains("320x240 RGB24 230400 bytes"), decoded.out);

            // and a text file's lines go through as messages and come back as text
            Run produceText = weir(concat(new String[] {"produce", "text", "--input", "samples/text/dpkg-excerpt.log", "--stream", "cli-log", "--limit", "4"}, endpoints));
            assertEquals(0, produceText.exit, produceText.out);
            assertTrue(produceText.out.contains("produced 4 messages of cli-log"), produceText.out);
            Run decodedText = weir(concat(new String[] {"consume", "decoded", "--modality", "text", "--from-beginning", "--max", "4", "--timeout", "60"}, endpoints));
            assertEquals(4, lines(decodedText.out, "cli-log seq="), decodedText.out);
            assertTrue(decodedText.out.contains("startup archives unpack"), decodedText.out);

            // and a WAV file goes through in chunks of 500 ms and comes back as the same number of samples
            Run produceAudio = weir(concat(new String[] {"produce", "audio", "--input", "samples/audio/librivox-sense-0880.wav", "--stream", "cli-mic", "--chunk-ms", "500"}, endpoints));
            assertEquals(0, produceAudio.exit, produceAudio.out);
            assertTrue(produceAudio.out.contains("produced 6 chunks of cli-mic"), produceAudio.out);
            Run decodedAudio = weir(concat(new String[] {"consume", "decoded", "--modality", "audio", "--from-beginning", "--max", "6", "--timeout", "60"}, endpoints));
            assertEquals(6, lines(decodedAudio.out, "cli-mic seq="), decodedAudio.out);
            assertTrue(decodedAudio.out.contains("cli-mic seq=0 7680 samples at 16000 Hz from sample 0"), decodedAudio.out);
            assertTrue(decodedAudio.out.contains("END OF STREAM"), decodedAudio.out);
        }
    }

    @Test
    void everyCommandHasHelp() {
        for (String command : List.of("demo", "stack", "run", "topics", "produce", "consume", "eval", "train-codebook", "bench")) {
            Run help = weir(command, "--help");
            assertEquals(0, help.exit, command);
            assertTrue(help.out.contains("Usage: weir " + command), help.out);
        }
    }

    record Run(int exit, String out) {
    }

    static Run weir(String... args) {
        PrintStream original = System.out;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try (PrintStream capture = new PrintStream(buffer, true, StandardCharsets.UTF_8)) {
            System.setOut(capture);
            CommandLine cli = WeirCommand.commandLine();
            cli.setOut(new java.io.PrintWriter(capture, true));
            int exit = cli.execute(args);
            capture.flush();
            return new Run(exit, buffer.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(original);
        }
    }

    static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    static int lines(String text, String containing) {
        return (int) text.lines().filter(l -> l.contains(containing)).count();
    }
}
