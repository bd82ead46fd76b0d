package dev.weir.codec.video;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.cli.EvalCommand;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code weir eval video} end to end on the sample clip, through the picocli command. */
class VideoEvaluationTest {

    @Test
    void jsonReportHasConsistentFields() throws Exception {
        // given the first 2 frames of the tree clip as JPEG files
        StringWriter out = new StringWriter();
        CommandLine cli = new CommandLine(new EvalCommand());
        cli.setOut(new PrintWriter(out));

        // when eval video runs with --json
        int rc = cli.execute("video", "--input", TestMedia.TREE_FRAMES.toString(), "--frames", "2", "--json",
                "--backend", "jvm-scalar");

        // then it prints one JSON object whose fields agree with each other and with the clip
        assertEquals(0, rc);
        JsonNode r = new ObjectMapper().readTree(out.toString());
        int stages = VideoCodebook.defaultFor(16).stages().size();
        assertEquals(2, r.get("frames").asInt());
        assertEquals(320, r.get("width").asInt());
        assertEquals(240, r.get("height").asInt());
        assertEquals(300, r.get("patchesPerFrame").asInt());
        assertEquals(2L * 300 * stages, r.get("tokensFull").asLong());
        long emitted = r.get("tokensEmitted").asLong();
        assertTrue(emitted >= 300L * stages && emitted <= r.get("tokensFull").asLong(), r.toString()); // a keyframe first
        assertEquals((double) emitted / r.get("tokensFull").asLong(), r.get("tokenRatio").asDouble(), 1e-12);
        int bitsPerPatch = r.get("bitsPerPatch").asInt();
        assertEquals(28 + 8 * (stages - 1), bitsPerPatch);
        // token bits plus a position bitmap of 300 bits on each non-keyframe, per pixel per frame
        int keyframes = r.get("keyframes").asInt();
        assertEquals(((double) emitted / stages * bitsPerPatch + (2 - keyframes) * 300.0) / (2 * 320 * 240),
                r.get("bitsPerPixel").asDouble(), 1e-12);
        assertTrue(r.get("psnrDb").asDouble() > 15 && r.get("psnrDb").asDouble() < 60, r.toString());
        int quality = r.get("jpegQuality").asInt();
        assertTrue(quality >= 1 && quality <= 100, r.toString());
        assertTrue(r.get("jpegPsnrDb").asDouble() > 10, r.toString());
        assertTrue(r.get("fps").asDouble() > 0);
        assertEquals("jvm-scalar", r.get("backend").asText());
        assertEquals(VideoCodebook.defaultFor(16).hash(), r.get("codebookHash").asText());
        assertNotEquals("", r.get("codebookId").asText());
    }

    @Test
    void jsonReportMeasuresCompressionAgainstSameRunBaselines() throws Exception {
        // given the first 8 frames of the coffee-sprite clip (static camera, a moving sprite, sensor noise)
        StringWriter out = new StringWriter();
        CommandLine cli = new CommandLine(new EvalCommand());
        cli.setOut(new PrintWriter(out));

        // when eval video runs with the default compression
        int rc = cli.execute("video", "--input", TestMedia.COFFEE_FRAMES.toString(), "--frames", "8", "--json",
                "--backend", "jvm");

        // then the report has the compression fields, consistent with each other
        assertEquals(0, rc);
        JsonNode r = new ObjectMapper().readTree(out.toString());
        double ratio = r.get("tokenRatio").asDouble();
        assertTrue(ratio > 0 && ratio < 1, r.toString());
        double hits = r.get("cacheHitRatio").asDouble();
        assertTrue(hits > 0 && hits <= 1 - ratio + 1e-12, r.toString()); // what is reused is not sent
        double pruned = r.get("prunedRatio").asDouble();
        assertTrue(pruned >= 0 && pruned <= 1, r.toString());
        assertTrue(r.get("keyframes").asInt() >= 1, r.toString());
        assertTrue(r.get("fpsFull").asDouble() > 0, r.toString());
        assertTrue(r.get("compression").asText().contains("threshold"), r.toString());
        // and the baselines ran at our budget: the pruners at exactly our token count, the frame skip nearest it
        JsonNode b = r.get("baselines");
        assertEquals(ratio, b.get("noCache").get("tokenRatio").asDouble(), 1e-12);
        assertEquals(ratio, b.get("randomPrune").get("tokenRatio").asDouble(), 1e-12);
        double skipRatio = b.get("uniformSkip").get("tokenRatio").asDouble();
        for (int skip = 1; skip <= 8; skip++) {
            double other = (double) ((8 + skip - 1) / skip) / 8;
            assertTrue(Math.abs(skipRatio - ratio) <= Math.abs(other - ratio) + 1e-12, "skip " + skip + " is nearer");
        }
        // and on a static camera the cacher beats sending whole frames less often at that rate, and stays
        // close to sending everything
        double psnr = r.get("psnrDb").asDouble();
        assertTrue(psnr > b.get("uniformSkip").get("psnrDb").asDouble(), r.toString());
        assertTrue(psnr > r.get("psnrFullDb").asDouble() - 0.5, r.toString());
        for (String name : new String[]{"uniformSkip", "randomPrune", "noCache"}) {
            assertTrue(b.get(name).get("psnrDb").asDouble() > 10, name + ": " + r);
            assertTrue(b.get(name).get("fps").asDouble() > 0, name + ": " + r);
        }
    }

    @Test
    void compressionKnobsReachTheEncoder() throws Exception {
        // when eval video runs without compression on 2 frames
        StringWriter out = new StringWriter();
        CommandLine cli = new CommandLine(new EvalCommand());
        cli.setOut(new PrintWriter(out));
        int rc = cli.execute("video", "--input", TestMedia.TREE_FRAMES.toString(), "--frames", "2", "--json",
                "--backend", "jvm", "--no-compression");

        // then every patch of every frame is sent: ratio 1, two keyframes, PSNR equal to the full run
        assertEquals(0, rc);
        JsonNode r = new ObjectMapper().readTree(out.toString());
        assertEquals(1.0, r.get("tokenRatio").asDouble(), 1e-12);
        assertEquals(2, r.get("keyframes").asInt());
        assertEquals(r.get("psnrFullDb").asDouble(), r.get("psnrDb").asDouble(), 1e-12);

        // and a malformed budget is a usage error, not a crash
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err));
        assertEquals(2, cli.execute("video", "--input", TestMedia.TREE_FRAMES.toString(), "--budget", "ratio:lots"));
        assertTrue(err.toString().contains("ratio:lots"), err.toString());
    }

    @Test
    void jpegAnchorIsTheQualityNearestOurRate() throws Exception {
        // given an evaluation of one frame of the tree clip
        VideoEvalReport report;
        try (var kernels = dev.weir.kernels.Kernels.video("jvm-scalar");
             FrameSource source = FrameSource.open(TestMedia.TREE_FRAMES)) {
            report = VideoEvaluation.run(source, VideoCodebook.defaultFor(16), kernels, 1);
        }

        // then no other JPEG quality lands nearer our bits per pixel (checked by encoding with ImageIO here)
        RgbFrame frame = TestMedia.treeFrame(1);
        double best = Math.abs(report.jpegBitsPerPixel() - report.bitsPerPixel());
        for (int q = 1; q <= 100; q += 3) {
            double bpp = 8.0 * jpegBytes(frame, q) / (320 * 240);
            assertTrue(Math.abs(bpp - report.bitsPerPixel()) >= best - 1e-9,
                    "quality " + q + " gives " + bpp + " bpp, nearer " + report.bitsPerPixel() + " than quality "
                            + report.jpegQuality() + " at " + report.jpegBitsPerPixel());
        }
    }

    @Test
    void humanReadableTableWithoutJson() {
        // when eval video runs without --json on one frame
        StringWriter out = new StringWriter();
        CommandLine cli = new CommandLine(new EvalCommand());
        cli.setOut(new PrintWriter(out));
        int rc = cli.execute("video", "--input", TestMedia.TREE_FRAMES.toString(), "--frames", "1");

        // then a table names PSNR, bits per pixel and the JPEG anchor
        assertEquals(0, rc);
        assertTrue(out.toString().contains("PSNR") && out.toString().contains("bits/pixel")
                && out.toString().contains("JPEG anchor"), out.toString());
    }

    @Test
    void unknownPatchSizeOrStageCountIsAUsageError() {
        // when eval video asks for a patch size without a built-in codebook, or more stages than the codebook has
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new EvalCommand());
        cli.setErr(new PrintWriter(err));
        int noCodebook = cli.execute("video", "--input", TestMedia.TREE_FRAMES.toString(), "--patch", "32");
        int tooManyStages = cli.execute("video", "--input", TestMedia.TREE_FRAMES.toString(), "--stages", "9");

        // then both fail as usage errors (picocli exit code 2) that say what to do
        assertEquals(2, noCodebook);
        assertEquals(2, tooManyStages);
        assertTrue(err.toString().contains("train-codebook --patch 32") && err.toString().contains("--stages must be"),
                err.toString());
    }

    private static int jpegBytes(RgbFrame frame, int quality) throws Exception {
        var image = new java.awt.image.BufferedImage(frame.width(), frame.height(), java.awt.image.BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < frame.height(); y++) {
            for (int x = 0; x < frame.width(); x++) {
                int o = (y * frame.width() + x) * 3;
                image.setRGB(x, y, (frame.rgb()[o] & 0xFF) << 16 | (frame.rgb()[o + 1] & 0xFF) << 8 | (frame.rgb()[o + 2] & 0xFF));
            }
        }
        var writer = javax.imageio.ImageIO.getImageWritersByFormatName("jpeg").next();
        var bytes = new java.io.ByteArrayOutputStream();
        try (var stream = javax.imageio.ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(stream);
            var param = writer.getDefaultWriteParam();
            param.setCompressionMode(javax.imageio.ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(quality / 100f);
            writer.write(null, new javax.imageio.IIOImage(image, null, null), param);
        } finally {
            writer.dispose();
        }
        return bytes.size();
    }

    @Test
    void progressCountsTheFramesReadThenEveryPassOverThem() throws Exception {
        // given the first 3 frames of the tree clip and a listener that keeps the last report of each phase
        java.util.Map<String, long[]> last = new java.util.LinkedHashMap<>();
        try (var kernels = dev.weir.kernels.Kernels.video("jvm-scalar"); FrameSource source = FrameSource.open(TestMedia.TREE_FRAMES)) {

            // when the evaluation runs
            VideoEvaluation.run(source, VideoCodebook.defaultFor(16), kernels, 3, CompressionConfig.defaults(),
                    (phase, done, total) -> last.put(phase, new long[] {done, total}));
        }

        // then it read 3 of 3 frames, then encoded them in each of its 5 passes (the warm-up is not counted)
        assertEquals(java.util.List.of("reading", "encoding"), java.util.List.copyOf(last.keySet()));
        assertEquals(3, last.get("reading")[0]);
        assertEquals(15, last.get("encoding")[0]);
        assertEquals(15, last.get("encoding")[1]);
    }
}
