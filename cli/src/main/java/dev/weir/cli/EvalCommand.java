package dev.weir.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.codec.compress.Budget;
import dev.weir.codec.compress.Cacher;
import dev.weir.codec.text.BpeEncoding;
import dev.weir.codec.text.TextCompressionConfig;
import dev.weir.codec.text.TextEvalReport;
import dev.weir.codec.text.TextEvaluation;
import dev.weir.codec.video.CompressionConfig;
import dev.weir.codec.video.FrameSource;
import dev.weir.codec.video.VideoCodebook;
import dev.weir.codec.video.VideoEvalReport;
import dev.weir.codec.video.VideoEvaluation;
import dev.weir.kernels.Kernels;
import dev.weir.kernels.VideoKernels;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code weir eval}: offline fidelity and rate of a codec on files, no Kafka. */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Measure a codec offline on media files (no Kafka).",
        subcommands = {EvalCommand.Video.class, AudioEvalCommand.class, EvalCommand.Text.class})
public final class EvalCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return 2;
    }

    /** {@code weir eval video}: PSNR, bits per pixel and a JPEG anchor on a .y4m clip or a folder of frames. */
    @Command(name = "video", mixinStandardHelpOptions = true,
            description = "Tokenize and decode a clip; print PSNR, token counts, bits per pixel and a JPEG anchor.")
    public static final class Video implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Option(names = "--input", required = true,
                description = "A .y4m file (4:2:0), an image, or a folder of .jpg/.png frames in name order.")
        Path input;

        @Option(names = "--json", description = "Print one JSON object instead of a table.")
        boolean json;

        @Option(names = "--patch", defaultValue = "16",
                description = "Patch side: 8, 16 or 32 (default ${DEFAULT-VALUE}); picks the built-in codebook.")
        int patch;

        @Option(names = "--codebook", description = "Codebook file (default: the built-in codebook for --patch).")
        Path codebook;

        @Option(names = "--stages", description = "Use only the first N stages of the codebook.")
        Integer stages;

        @Option(names = "--backend", defaultValue = "auto",
                description = "Kernel backend: auto, jvm, jvm-scalar or opencl (default ${DEFAULT-VALUE}).")
        String backend;

        @Option(names = "--frames", defaultValue = "0", description = "Evaluate at most N frames (0 = all).")
        int frames;

        @Option(names = "--threshold", paramLabel = "MSE",
                description = "Cacher: re-encode a patch when its squared error against the decoder's picture grew by more "
                        + "than MSE per sample since it was sent (default " + CompressionConfig.DEFAULT_THRESHOLD + ").")
        Double threshold;

        @Option(names = "--update-ratio", paramLabel = "R",
                description = "Cacher in STC's fixed-ratio mode: re-encode the share R (0..1] of patches that changed most.")
        Double updateRatio;

        @Option(names = "--no-cache", description = "No cacher: every patch tokenized every frame, the pruner alone decides.")
        boolean noCache;

        @Option(names = "--keyframe-interval", paramLabel = "N",
                description = "A keyframe at least every N frames; 0 = first frame and scene changes only (default "
                        + CompressionConfig.DEFAULT_KEYFRAME_INTERVAL + ").")
        Integer keyframeInterval;

        @Option(names = "--scene-change", paramLabel = "SHARE",
                description = "A keyframe when this share of the patches changed; above 1 disables (default "
                        + CompressionConfig.DEFAULT_SCENE_CHANGE_SHARE + ").")
        Double sceneChange;

        @Option(names = "--budget", paramLabel = "MODE:VALUE",
                description = "Tokens a non-keyframe may carry: ratio:R (share of the frame's tokens), tokens:N (per "
                        + "frame), rate:T (tokens per second, with --fps and --bank-seconds) or unlimited (default ratio:"
                        + CompressionConfig.DEFAULT_BUDGET_RATIO + ").")
        String budget;

        @Option(names = "--fps", defaultValue = "15", description = "Frame rate of the clip for --budget rate (default ${DEFAULT-VALUE}).")
        double fps;

        @Option(names = "--bank-seconds", defaultValue = "2",
                description = "Seconds of rate the budget bank may hold for --budget rate (default ${DEFAULT-VALUE}).")
        double bankSeconds;

        @Option(names = "--alpha", description = "Novelty weight of the temporal anchor, 0..1 (default "
                + CompressionConfig.DEFAULT_ALPHA + ").")
        Double alpha;

        @Option(names = "--no-compression", description = "Every frame a keyframe with every patch (the tokenizer alone).")
        boolean noCompression;

        @Override
        public Integer call() throws Exception {
            VideoCodebook cb;
            try {
                cb = codebook == null ? VideoCodebook.defaultFor(patch) : VideoCodebook.read(codebook);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
            if (codebook != null && cb.patchSize() != patch
                    && spec.commandLine().getParseResult().hasMatchedOption("--patch")) {
                throw new ParameterException(spec.commandLine(), "--patch " + patch
                        + " does not match the codebook's patch size " + cb.patchSize());
            }
            if (stages != null) {
                if (stages < 1 || stages > cb.stages().size()) {
                    throw new ParameterException(spec.commandLine(), "--stages must be 1.." + cb.stages().size()
                            + " for codebook " + cb.id());
                }
                cb = cb.firstStages(stages);
            }
            VideoEvalReport report;
            try (VideoKernels kernels = Kernels.video(backend); FrameSource source = FrameSource.open(input);
                 TerminalProgress progress = TerminalProgress.of("weir eval video")) {
                report = VideoEvaluation.run(source, cb, kernels, frames, compression(), progress);
            }
            PrintWriter out = spec.commandLine().getOut();
            out.println(json ? new ObjectMapper().writeValueAsString(report) : table(report));
            out.flush();
            return 0;
        }

        private CompressionConfig compression() {
            if (noCompression) {
                return CompressionConfig.none();
            }
            CompressionConfig c = CompressionConfig.defaults();
            try {
                if ((threshold != null ? 1 : 0) + (updateRatio != null ? 1 : 0) + (noCache ? 1 : 0) > 1) {
                    throw new IllegalArgumentException("choose one of --threshold, --update-ratio and --no-cache");
                }
                if (threshold != null) {
                    c = c.withCache(new Cacher.Threshold(threshold));
                } else if (updateRatio != null) {
                    c = c.withCache(new Cacher.UpdateRatio(updateRatio));
                } else if (noCache) {
                    c = c.withCache(new Cacher.Off());
                }
                if (keyframeInterval != null) {
                    c = c.withKeyframeInterval(keyframeInterval);
                }
                if (sceneChange != null) {
                    c = c.withSceneChangeShare(sceneChange);
                }
                if (alpha != null) {
                    c = c.withAlpha(alpha);
                }
                if (budget != null) {
                    c = c.withBudget(Budget.parse(budget, fps, bankSeconds));
                }
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
            return c;
        }

        private static String table(VideoEvalReport r) {
            StringBuilder s = new StringBuilder();
            row(s, "input", r.frames() + " frames " + r.width() + "x" + r.height());
            row(s, "codebook", r.codebookId() + " (" + r.codebookHash().substring(0, 12) + "), P=" + r.patchSize()
                    + ", " + r.tokensPerPatch() + " token(s)/patch, " + r.bitsPerPatch() + " bits/patch");
            row(s, "patches/frame", Integer.toString(r.patchesPerFrame()));
            row(s, "tokens", r.tokensEmitted() + " emitted of " + r.tokensFull() + " (ratio "
                    + fmt("%.3f", r.tokenRatio()) + ")");
            row(s, "bits/pixel", fmt("%.4f", r.bitsPerPixel()));
            row(s, "PSNR", fmt("%.2f dB (full tokens %.2f dB)", r.psnrDb(), r.psnrFullDb()));
            row(s, "compression", r.compression());
            row(s, "cacher", fmt("%.3f of positions reused, %d keyframes, %.3f of changed patches pruned",
                    r.cacheHitRatio(), r.keyframes(), r.prunedRatio()));
            r.baselines().forEach((name, b) -> row(s, name, fmt("ratio %.3f, PSNR %.2f dB, %.2f frames/s (%s)",
                    b.tokenRatio(), b.psnrDb(), b.fps(), b.method())));
            row(s, "JPEG anchor", fmt("quality %d: %.4f bits/pixel, PSNR %.2f dB", r.jpegQuality(),
                    r.jpegBitsPerPixel(), r.jpegPsnrDb()));
            row(s, "speed", fmt("%.2f frames/s on %s (without compression %.2f frames/s)", r.fps(), r.backend(),
                    r.fpsFull()));
            return s.toString().stripTrailing();
        }

        private static void row(StringBuilder s, String name, String value) {
            s.append(String.format(Locale.ROOT, "%-14s %s%n", name, value));
        }

        private static String fmt(String format, Object... args) {
            return String.format(Locale.ROOT, format, args);
        }
    }

    /** {@code weir eval text}: token counts, losslessness and speed of the text codec on a UTF-8 file. */
    @Command(name = "text", mixinStandardHelpOptions = true,
            description = "Tokenize, compress and decode a text file; print token counts, losslessness, speed against "
                    + "plain JTokkit in the same run, and gzip/zstd anchors.")
    public static final class Text implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Option(names = "--input", required = true, description = "A UTF-8 text file.")
        Path input;

        @Option(names = "--json", description = "Print one JSON object instead of a table.")
        boolean json;

        @Option(names = "--message", defaultValue = "lines",
                description = "Messages: lines (one per line, the default) or file (the whole file as one).")
        String message;

        @Option(names = "--encoding", defaultValue = "cl100k_base",
                description = "BPE encoding: cl100k_base (default) or o200k_base.")
        String encoding;

        @Option(names = "--rounds", defaultValue = "" + TextEvaluation.DEFAULT_ROUNDS,
                description = "Timed rounds of each, after 2 warm-up rounds (default ${DEFAULT-VALUE}).")
        int rounds;

        @Option(names = "--no-cache", description = "Every message literal: the tokenizer alone.")
        boolean noCache;

        @Option(names = "--keep", paramLabel = "R",
                description = "Lossy pruning: keep about the share R (0..1] of each message's tokens (default: off).")
        Double keep;

        @Override
        public Integer call() throws Exception {
            TextCompressionConfig config = TextCompressionConfig.defaults().withCache(!noCache);
            TextEvaluation.MessageMode mode;
            BpeEncoding bpe;
            try {
                mode = TextEvaluation.MessageMode.parse(message);
                bpe = BpeEncoding.parse(encoding);
                if (keep != null) {
                    config = config.withPruning(new TextCompressionConfig.Pruning.Keep(keep));
                }
                if (rounds < 1) {
                    throw new IllegalArgumentException("--rounds must be ≥ 1");
                }
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
            TextEvalReport report;
            TextCompressionConfig settings = config;
            try (TerminalProgress progress = TerminalProgress.of("weir eval text")) {
                report = progress.whileWorking("evaluating " + input.getFileName() + " (" + rounds + " timed rounds)",
                        () -> TextEvaluation.run(input, mode, bpe, settings, rounds));
            }
            PrintWriter out = spec.commandLine().getOut();
            out.println(json ? report.toJson() : table(report));
            out.flush();
            return 0;
        }

        private static String table(TextEvalReport r) {
            StringBuilder s = new StringBuilder();
            r.fields().forEach((name, value) -> s.append(String.format(Locale.ROOT, "%-22s %s%n", name,
                    value instanceof Double d ? String.format(Locale.ROOT, "%.4f", d) : value)));
            return s.toString().stripTrailing();
        }
    }
}
