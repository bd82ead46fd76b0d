package dev.weir.codec.video;

import dev.weir.cli.TrainCodebookCommand;
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

/** {@code weir train-codebook} through picocli, on a folder of frames and a .y4m clip from samples/. */
class TrainCodebookCommandTest {

    @Test
    void writesAReproducibleCodebookThatEvalCanUse(@TempDir Path dir) throws Exception {
        // given two tiny training runs with the same options and seed, on JPEG frames and the .y4m clip
        String[] options = {"--input", TestMedia.TREE_FRAMES.toString(), TestMedia.TREE_Y4M.toString(),
                "--frames-per-input", "2", "--patch", "8", "--size", "8", "--stages", "2", "--residual-size", "4",
                "--iterations", "2", "--max-vectors", "600", "--seed", "7"};

        // when both run
        Path first = dir.resolve("a.wvcb");
        Path second = dir.resolve("b.wvcb");
        assertEquals(0, run(options, first));
        assertEquals(0, run(options, second));

        // then the files are identical, load as P=8 two-stage codebooks, and name the options in their id
        assertArrayEquals(Files.readAllBytes(first), Files.readAllBytes(second));
        VideoCodebook codebook = VideoCodebook.read(first);
        assertEquals(8, codebook.patchSize());
        assertEquals(8, codebook.stages().get(0).size());
        assertEquals(4, codebook.stages().get(1).size());
        assertEquals("p8-k8-r1x4-seed7", codebook.id());

        // and a different seed gives a different codebook
        String[] otherSeed = options.clone();
        otherSeed[otherSeed.length - 1] = "8";
        Path third = dir.resolve("c.wvcb");
        assertEquals(0, run(otherSeed, third));
        assertNotEquals(codebook.hash(), VideoCodebook.read(third).hash());
    }

    @Test
    void rejectsBadOptionsWithAUsageError(@TempDir Path dir) {
        // when the patch size is not one of 8, 16, 32
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new TrainCodebookCommand());
        cli.setErr(new PrintWriter(err));
        int rc = cli.execute("--input", TestMedia.TREE_FRAMES.toString(), "--patch", "12", "--out",
                dir.resolve("x.wvcb").toString());

        // then the command fails without writing a file and says why
        assertNotEquals(0, rc);
        assertTrue(err.toString().contains("patch"), err.toString());
        assertTrue(Files.notExists(dir.resolve("x.wvcb")));
    }

    private static int run(String[] options, Path out) {
        String[] args = java.util.Arrays.copyOf(options, options.length + 2);
        args[options.length] = "--out";
        args[options.length + 1] = out.toString();
        CommandLine cli = new CommandLine(new TrainCodebookCommand());
        cli.setOut(new PrintWriter(new StringWriter()));
        return cli.execute(args);
    }
}
