package dev.weir.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The command line as operators expect it, each command as its own process: a user's mistake is one line
 * {@code weir COMMAND: ...} and a non-zero exit, with no stack trace unless {@code --verbose}, and a one-shot
 * command prints its result without INFO logs.
 */
class CommandLineIT {

    @TempDir
    Path dir;

    record Case(int exit, String line, String[] args) {
    }

    @Test
    void everyCommandEndsAUserErrorWithOneLineAndANonZeroExit() throws Exception {
        Map<String, Case> cases = new LinkedHashMap<>();
        cases.put("topics, a config file that is not there", new Case(1, "weir topics: config file /no/such.properties does not exist",
                new String[] {"topics", "--config", "/no/such.properties"}));
        cases.put("run, a config path that is a folder", new Case(1, "weir run: config file samples is not a file",
                new String[] {"run", "--config", "samples"}));
        cases.put("run, a bad -D value", new Case(1, "weir run: setting 'weir.http.port' must be a port, 1..65535, or 0 (no HTTP server): 99999",
                new String[] {"run", "-b", "127.0.0.1:1", "-D", "weir.http.port=99999"}));
        cases.put("inspect, a port out of range", new Case(1, "weir inspect: --port must be 0..65535 (0: any free port): 70000",
                new String[] {"inspect", "-b", "127.0.0.1:1", "--port", "70000"}));
        cases.put("inspect, an unreachable broker", new Case(1, "weir inspect: cannot reach the Kafka brokers at 127.0.0.1:1 within 2 s",
                new String[] {"inspect", "-b", "127.0.0.1:1", "-r", "http://127.0.0.1:1", "--port", "0", "-D", "weir.startup.timeout.ms=2000"}));
        cases.put("consume, a -D value that is no number", new Case(1, "weir consume: setting 'weir.startup.timeout.ms' must be an integer: soon",
                new String[] {"consume", "tokens", "-b", "127.0.0.1:1", "-D", "weir.startup.timeout.ms=soon"}));
        cases.put("topics, a -D without =", new Case(2, "weir topics: Value for option option '--set' (KEY=VALUE) should be in KEY=VALUE format but was foo (see weir topics --help)",
                new String[] {"topics", "-D", "foo"}));
        cases.put("produce, no --input", new Case(2, "weir produce: Missing required option: '--input=PATH' (see weir produce --help)",
                new String[] {"produce", "video", "--stream", "x"}));
        cases.put("produce, an unreachable broker", new Case(1, "weir produce: cannot reach the Kafka brokers at 127.0.0.1:1 within 2 s",
                new String[] {"produce", "video", "--input", "samples/video/tree", "--stream", "x", "-b", "127.0.0.1:1", "-D", "weir.startup.timeout.ms=2000"}));
        cases.put("topics, an unreachable broker", new Case(1, "weir topics: cannot reach the Kafka brokers at 127.0.0.1:1 within 2 s",
                new String[] {"topics", "-b", "127.0.0.1:1", "-D", "weir.startup.timeout.ms=2000"}));
        cases.put("eval video, no such input", new Case(1, "weir eval video: /no/clip.y4m: no such file or directory",
                new String[] {"eval", "video", "--input", "/no/clip.y4m"}));
        cases.put("eval text, no such input", new Case(1, "weir eval text: /no/such.log: no such file or directory",
                new String[] {"eval", "text", "--input", "/no/such.log"}));
        cases.put("train-codebook, no such input", new Case(1, "weir train-codebook: /no/frames is not a .y4m file",
                new String[] {"train-codebook", "--input", "/no/frames", "--out", dir.resolve("cb.bin").toString()}));
        cases.put("bench, nothing to measure", new Case(2, "weir bench: Unmatched argument at index 1: 'nothing' (see weir bench --help)", new String[] {"bench", "nothing"}));
        cases.put("bench e2e, an unknown modality", new Case(1, "weir bench e2e: --modalities: unknown modality 'smell': Weir has video, audio, text",
                new String[] {"bench", "e2e", "--modalities", "smell"}));
        cases.put("an unknown command", new Case(2, "weir: Unmatched argument at index 0: 'deploy' (see weir --help)", new String[] {"deploy"}));
        int n = 0;
        for (var c : cases.entrySet()) {
            // when a command is given something wrong
            WeirProcess weir = WeirProcess.start(dir, "error-" + n++, c.getValue().args());
            int exit = weir.awaitExit(Duration.ofSeconds(60));
            List<String> lines = weir.output().lines().filter(l -> !l.startsWith("WARNING: Using incubator modules")).toList();

            // then it prints one line that says what, and exits non-zero, without a stack trace or log lines
            assertEquals(c.getValue().exit(), exit, c.getKey() + ":\n" + weir.output());
            assertEquals(1, lines.size(), c.getKey() + ":\n" + weir.output());
            assertTrue(lines.getFirst().startsWith(c.getValue().line()), c.getKey() + ": expected '" + c.getValue().line() + "' but:\n" + lines.getFirst());
        }
    }

    @Test
    void verboseAddsTheStackTrace() throws Exception {
        WeirProcess weir = WeirProcess.start(dir, "verbose", "topics", "--config", "/no/such.properties", "--verbose");

        assertEquals(1, weir.awaitExit(Duration.ofSeconds(60)));
        assertTrue(weir.output().contains("weir topics: config file /no/such.properties does not exist"), weir.output());
        assertTrue(weir.output().contains("\tat dev.weir.cli.ConfigOptions.load"), weir.output());
    }

    @Test
    void aOneShotCommandPrintsItsResultWithoutInfoLogs() throws Exception {
        // when eval runs on two frames (it logged which kernel backend it picked at INFO before)
        WeirProcess weir = WeirProcess.start(dir, "quiet-eval", "eval", "video", "--input", "samples/video/tree", "--frames", "2");

        // then its output is the report alone, and no progress line (its output is a file, not a terminal)
        assertEquals(0, weir.awaitExit(Duration.ofSeconds(120)), weir.output());
        assertTrue(weir.output().contains("input          2 frames 320x240"), weir.output());
        assertFalse(weir.output().contains(" INFO "), weir.output());
        assertFalse(weir.output().contains("\r"), "no progress line off a terminal");

        // and WEIR_LOG_LEVEL still brings the INFO lines back
        WeirProcess loud = WeirProcess.start(dir, "loud-eval", Map.of("WEIR_LOG_LEVEL", "INFO"), "eval", "video", "--input", "samples/video/tree", "--frames", "2");
        assertEquals(0, loud.awaitExit(Duration.ofSeconds(120)), loud.output());
        assertTrue(loud.output().contains(" INFO "), loud.output());
    }
}
