package dev.weir.cli;

import dev.weir.codec.audio.AudioCodebook;
import dev.weir.codec.audio.AudioCompressionConfig;
import dev.weir.codec.audio.AudioEvalReport;
import dev.weir.codec.audio.AudioEvaluation;
import dev.weir.codec.audio.WavReader;
import dev.weir.kernels.Kernels;
import dev.weir.kernels.VectorKernels;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code weir eval audio}: tokens, kbps, STOI, segmental SNR, LSD and an Opus anchor on a WAV file, no Kafka. */
@Command(name = "audio", mixinStandardHelpOptions = true,
        description = "Tokenize and decode a WAV file; print tokens/s, kbps, STOI, segmental SNR, LSD and Opus in the same run.")
public final class AudioEvalCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--input", required = true, description = "A WAV file: 16-bit PCM or 32-bit float, 8-48 kHz, mono or stereo.")
    Path input;

    @Option(names = "--json", description = "Print one JSON object instead of a table.")
    boolean json;

    @Option(names = "--codebook", description = "Audio codebook file (default: the built-in 16 kHz codebook).")
    Path codebook;

    @Option(names = "--shape-stages", description = "Use only the first N shape stages of the codebook.")
    Integer shapeStages;

    @Option(names = "--backend", defaultValue = "jvm",
            description = "Kernel backend of the codebook search: jvm, jvm-scalar, opencl or auto (default ${DEFAULT-VALUE}).")
    String backend;

    @Option(names = "--chunk-ms", defaultValue = "200", description = "Chunk length fed to the encoder (default ${DEFAULT-VALUE}).")
    int chunkMs;

    @Option(names = "--warm-up", defaultValue = "60", paramLabel = "SECONDS",
            description = "Seconds of audio encoded untimed by each configuration before the timed run, for the JIT "
                    + "(default ${DEFAULT-VALUE}).")
    double warmUp;

    @Option(names = "--no-compression", description = "Every token of every frame (the tokenizer alone).")
    boolean noCompression;

    @Option(names = "--no-silence", description = "Turn the silence detector (DTX) off.")
    boolean noSilence;

    @Option(names = "--no-reuse", description = "Turn the cacher's token reuse off.")
    boolean noReuse;

    @Option(names = "--reuse", paramLabel = "ENV:SHAPE:REL",
            description = "Cacher slack: envelope and shape distortion as a share of the frame energy, and the relative "
                    + "error bound (default 0.05:0.007:0.52).")
    String reuse;

    @Option(names = "--quiet", paramLabel = "DB:TOKENS",
            description = "Pruner: a frame more than DB below the peak level sends at most TOKENS tokens, or 'off' "
                    + "(default 10:7).")
    String quiet;

    @Option(names = "--budget", paramLabel = "MODE:VALUE",
            description = "rate:T (tokens per second, banking --bank-seconds) or unlimited (default rate:"
                    + AudioCompressionConfig.DEFAULT_TOKENS_PER_SECOND + ").")
    String budget;

    @Option(names = "--bank-seconds", defaultValue = "2", description = "Seconds of rate the bank holds (default ${DEFAULT-VALUE}).")
    double bankSeconds;

    @Override
    public Integer call() throws Exception {
        AudioCodebook cb = codebook == null ? AudioCodebook.defaultCodebook() : AudioCodebook.read(codebook);
        if (shapeStages != null) {
            if (shapeStages < 0 || shapeStages > cb.shapeStages().size()) {
                throw new ParameterException(spec.commandLine(), "--shape-stages must be 0.." + cb.shapeStages().size());
            }
            cb = cb.firstShapeStages(shapeStages);
        }
        if (chunkMs < 1 || warmUp < 0) {
            throw new ParameterException(spec.commandLine(), "--chunk-ms must be ≥ 1 and --warm-up ≥ 0");
        }
        AudioEvalReport report;
        try (VectorKernels kernels = Kernels.vector(backend)) {
            report = AudioEvaluation.run(WavReader.read(input), cb, kernels, compression(), chunkMs, warmUp);
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println(json ? report.toJson() : table(report));
        out.flush();
        return 0;
    }

    private AudioCompressionConfig compression() {
        if (noCompression) {
            return AudioCompressionConfig.none();
        }
        AudioCompressionConfig c = AudioCompressionConfig.defaults();
        try {
            if (noSilence) {
                c = c.withSilence(false);
            }
            if (noReuse) {
                c = c.withReuse(false, 0, 0, 0, 0);
            } else if (reuse != null) {
                String[] p = reuse.split(":");
                if (p.length != 3) {
                    throw new IllegalArgumentException("--reuse takes ENV:SHAPE:REL, not " + reuse);
                }
                c = c.withReuse(true, c.reuseGainSteps(), Double.parseDouble(p[0]), Double.parseDouble(p[1]),
                        Double.parseDouble(p[2]));
            }
            if ("off".equals(quiet)) {
                c = c.withQuiet(Double.POSITIVE_INFINITY, c.quietSlots());
            } else if (quiet != null) {
                String[] q = quiet.split(":");
                if (q.length != 2) {
                    throw new IllegalArgumentException("--quiet takes DB:TOKENS or off, not " + quiet);
                }
                c = c.withQuiet(Double.parseDouble(q[0]), Integer.parseInt(q[1]));
            }
            if (budget != null) {
                c = c.withBudget(AudioCompressionConfig.parseBudget(budget, bankSeconds));
            }
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        return c;
    }

    private static String table(AudioEvalReport r) {
        StringBuilder s = new StringBuilder();
        row(s, "input", fmt("%.2f s at %d Hz, compared at %d Hz, %d ms chunks", r.seconds(), r.inputSampleRate(),
                r.sampleRate(), r.chunkMs()));
        row(s, "codebook", r.codebookId() + " (" + r.codebookHash().substring(0, 12) + ")");
        row(s, "tokens", fmt("%.1f/s of %.1f/s full (ratio %.3f)", r.tokensPerSecond(), r.tokensFullPerSecond(),
                r.tokenRatio()));
        row(s, "kbps", fmt("%.3f (full %.3f)", r.kbps(), r.kbpsFull()));
        row(s, "STOI", fmt("%.3f (full %.3f)", r.stoi(), r.stoiFull()));
        row(s, "segSNR", fmt("%.2f dB (full %.2f dB), SNR %.2f dB", r.segSnrDb(), r.segSnrFullDb(), r.snrDb()));
        row(s, "LSD", fmt("%.2f dB (full %.2f dB)", r.lsdDb(), r.lsdFullDb()));
        row(s, "cacher", fmt("%.3f of frames silent, %.3f of positions reused, %.3f of tokens pruned", r.silenceRatio(),
                r.reusedRatio(), r.prunedRatio()));
        row(s, "compression", r.compression());
        for (var e : new Object[][]{{"Opus 6 kbps", r.opus6k()}, {"Opus nearest", r.opusNearest()}}) {
            AudioEvalReport.Anchor a = (AudioEvalReport.Anchor) e[1];
            row(s, (String) e[0], fmt("set %d b/s: %.3f kbps, STOI %.3f, segSNR %.2f dB, LSD %.2f dB", a.bitrateSet(),
                    a.kbps(), a.stoi(), a.segSnrDb(), a.lsdDb()));
        }
        row(s, "speed", fmt("%.0fx real time on %s", r.realtimeFactor(), r.backend()));
        row(s, "snapshots", fmt("encoder %.0f B, decoder %.0f B per chunk", r.encoderSnapshotBytes(),
                r.decoderSnapshotBytes()));
        return s.toString().stripTrailing();
    }

    private static void row(StringBuilder s, String name, String value) {
        s.append(String.format(Locale.ROOT, "%-14s %s%n", name, value));
    }

    private static String fmt(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
