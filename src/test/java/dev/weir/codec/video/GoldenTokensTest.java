package dev.weir.codec.video;

import dev.weir.codec.TokenPacket;
import dev.weir.kernels.Kernels;
import dev.weir.kernels.VideoKernels;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Golden tokens of tokenizer {@code video-patch-dcvq} version "1": the packets of a few real frames (the
 * tree clip's first six, the static-camera clip's first four) with the default codebook and compression,
 * committed in {@code src/test/resources/golden/video-tokens-v1.txt}. Every backend must reproduce them
 * exactly, so a change that alters the tokens of every backend alike (a new rounding, a reordered search)
 * fails here instead of passing the backends-agree tests unnoticed. Such a change needs a new tokenizer
 * version, not a new golden file. (The OpenCL backend is held to the same file in {@code OpenClGoldenTokensIT}.)
 */
class GoldenTokensTest {

    static final Path GOLDEN = Path.of("src/test/resources/golden/video-tokens-v1.txt");

    @ParameterizedTest
    @ValueSource(strings = {"jvm-scalar", "jvm"})
    void theDefaultTokenizerReproducesTheGoldenTokensOfRealFrames(String backend) throws IOException {
        // given the committed golden packets of tokenizer version 1
        List<String> golden = Files.readAllLines(GOLDEN, StandardCharsets.UTF_8).stream()
                .filter(l -> !l.startsWith("#")).toList();

        // when the same frames are tokenized on this backend
        List<String> now;
        try (VideoKernels kernels = Kernels.video(backend)) {
            now = packets(kernels);
        }

        // then every packet is the same, token for token
        assertEquals("1", VideoCodebook.defaultFor(16).tokenizerRef().version());
        assertEquals(golden.size(), now.size());
        for (int i = 0; i < golden.size(); i++) {
            assertEquals(golden.get(i), now.get(i), "packet " + i + " on " + backend);
        }
    }

    /** The golden packets, one line each, as this code makes them. */
    static List<String> packets(VideoKernels kernels) {
        List<String> lines = new ArrayList<>();
        VideoCodebook codebook = VideoCodebook.defaultFor(16);
        VideoEncoder tree = VideoEncoder.create(codebook, kernels, CompressionConfig.defaults());
        for (int f = 1; f <= 6; f++) {
            lines.add(line("tree", encode(tree, f, TestMedia.treeFrame(f))));
        }
        VideoEncoder coffee = VideoEncoder.create(codebook, kernels, CompressionConfig.defaults());
        for (int f = 1; f <= 4; f++) {
            lines.add(line("coffee", encode(coffee, f, TestMedia.coffeeFrame(f))));
        }
        return lines;
    }

    private static TokenPacket encode(VideoEncoder encoder, int seq, RgbFrame frame) {
        return encoder.encode(seq, frame).packet();
    }

    private static String line(String stream, TokenPacket p) {
        return stream + " seq=" + p.seq() + " keyframe=" + p.keyframe() + " total=" + p.positionsTotal()
                + " perPosition=" + p.tokensPerPosition() + " changed=" + p.positionsChanged() + " pruned=" + p.prunedCount()
                + " reused=" + p.reusedPositions().length + " positions=" + join(p.positions()) + " tokens=" + join(p.tokens());
    }

    private static String join(int[] values) {
        return Arrays.stream(values).mapToObj(Integer::toString).collect(Collectors.joining(","));
    }

    /** Writes the golden file from this code: only for a new tokenizer version (see the class comment). */
    public static void main(String[] args) throws IOException {
        try (VideoKernels kernels = Kernels.video("jvm-scalar")) {
            List<String> lines = new ArrayList<>();
            lines.add("# Golden tokens of video-patch-dcvq version 1: default P=16 codebook, default compression, jvm-scalar.");
            lines.add("# samples/video/tree frames 1-6 and samples/video/coffee-sprite frames 1-4. Written by GoldenTokensTest.main.");
            lines.addAll(packets(kernels));
            Files.write(GOLDEN, lines, StandardCharsets.UTF_8);
        }
    }
}
