package dev.weir.codec.audio;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.cli.WeirCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code weir train-codebook --audio} and {@code weir eval audio} through picocli, on the bundled speech. */
class AudioCliTest {

    @Test
    void trainsAReproducibleAudioCodebookThatEvalCanUse(@TempDir Path dir) throws Exception {
        // given two tiny audio trainings with the same options
        String[] options = {"train-codebook", "--audio", TestAudio.SPEECH.toString(), "--envelope-sizes", "8,4",
                "--shape-sizes", "4", "--iterations", "2", "--max-vectors", "500", "--seed", "3", "--backend", "jvm"};
        Path a = dir.resolve("a.wacb");
        Path b = dir.resolve("b.wacb");

        // when both run
        assertEquals(0, run(options, "--out", a.toString()).rc);
        assertEquals(0, run(options, "--out", b.toString()).rc);

        // then the files are identical and name their options
        assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b));
        AudioCodebook cb = AudioCodebook.read(a);
        assertEquals("mdct16k-e8x4-s4-seed3", cb.id());

        // and eval audio runs with it, printing the report as JSON
        Result eval = run(new String[]{"eval", "audio", "--input", TestAudio.SPEECH.toString(), "--codebook",
                a.toString(), "--json", "--chunk-ms", "100", "--warm-up", "0"});
        assertEquals(0, eval.rc, eval.err);
        JsonNode json = new ObjectMapper().readTree(eval.out);
        assertEquals(cb.hash(), json.get("codebookHash").asText());
        assertTrue(json.get("stoi").asDouble() > 0.5);
    }

    @Test
    void badOptionsAreUsageErrors(@TempDir Path dir) {
        // when train-codebook gets both kinds of input, or neither, or eval audio a missing file
        Result both = run(new String[]{"train-codebook", "--audio", TestAudio.SPEECH.toString(), "--input", "x",
                "--out", dir.resolve("x").toString()});
        Result neither = run(new String[]{"train-codebook", "--out", dir.resolve("x").toString()});
        Result missing = run(new String[]{"eval", "audio", "--input", dir.resolve("none.wav").toString()});

        // then each fails and says why
        assertNotEquals(0, both.rc);
        assertTrue(both.err.contains("not both"), both.err);
        assertNotEquals(0, neither.rc);
        assertNotEquals(0, missing.rc);
        assertTrue(missing.err.contains("none.wav"), missing.err);
    }

    private record Result(int rc, String out, String err) {
    }

    private static Result run(String[] args, String... more) {
        String[] all = java.util.Arrays.copyOf(args, args.length + more.length);
        System.arraycopy(more, 0, all, args.length, more.length);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new WeirCommand());
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int rc = cli.execute(all);
        return new Result(rc, out.toString(), err.toString());
    }
}
