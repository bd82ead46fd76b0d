package dev.weir.cli;

import dev.weir.codec.audio.AudioCodebook;
import dev.weir.codec.audio.AudioCodebookTrainer;
import dev.weir.codec.video.CodebookTrainer;
import dev.weir.codec.video.FrameSource;
import dev.weir.codec.video.RgbFrame;
import dev.weir.codec.video.VideoCodebook;
import dev.weir.kernels.Kernels;
import dev.weir.kernels.VideoKernels;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code weir train-codebook}: trains a video shape codebook from images or clips, or an audio codebook from WAV files. */
@Command(name = "train-codebook", mixinStandardHelpOptions = true,
        description = "Train a video codebook (--input) or an audio codebook (--audio) (k-means++ and Lloyd, "
                + "reproducible for a seed) and write it to a file.")
public final class TrainCodebookCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--input", arity = "1..*",
            description = "Folders of .jpg/.png images, single images or .y4m clips (a video codebook).")
    List<Path> inputs;

    @Option(names = "--audio", arity = "1..*",
            description = "WAV files of speech (an audio codebook; see docs/audio.md). Uses --iterations, --max-vectors "
                    + "(default 40000 here), --seed, --id, --backend and the --rate/--envelope-sizes/--shape-sizes below.")
    List<Path> audio;

    @Option(names = "--rate", defaultValue = "16000", description = "Audio: tokenizer rate, 16000 or 24000 (default ${DEFAULT-VALUE}).")
    int rate;

    @Option(names = "--envelope-sizes", split = ",", defaultValue = "1024,256",
            description = "Audio: codebook size of each envelope stage (default ${DEFAULT-VALUE}).")
    int[] envelopeSizes;

    @Option(names = "--shape-sizes", split = ",", defaultValue = "128,128,128",
            description = "Audio: codebook size of each shape stage (default ${DEFAULT-VALUE}).")
    int[] shapeSizes;

    @Option(names = "--patch", defaultValue = "16", description = "Patch side: 8, 16 or 32 (default ${DEFAULT-VALUE}).")
    int patch;

    @Option(names = "--size", defaultValue = "1024", description = "Stage-0 codebook size K (default ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--stages", defaultValue = "1", description = "Stages; above 1 adds residual stages (default ${DEFAULT-VALUE}).")
    int stages;

    @Option(names = "--residual-size", defaultValue = "256", description = "Size of each residual stage (default ${DEFAULT-VALUE}).")
    int residualSize;

    @Option(names = "--dc-bits", defaultValue = "6", description = "DC bits per channel (default ${DEFAULT-VALUE}).")
    int dcBits;

    @Option(names = "--iterations", defaultValue = "12", description = "Lloyd iterations per stage (default ${DEFAULT-VALUE}).")
    int iterations;

    @Option(names = "--max-vectors", defaultValue = "32768", description = "Training patches kept after seeded subsampling (default ${DEFAULT-VALUE}).")
    int maxVectors;

    @Option(names = "--frames-per-input", defaultValue = "0", description = "Read at most N frames of each input (0 = all).")
    int framesPerInput;

    @Option(names = "--seed", defaultValue = "42", description = "Seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--id", description = "Codebook id stored in the file (default: derived from the options).")
    String id;

    @Option(names = "--backend", defaultValue = "auto", description = "Kernel backend (default ${DEFAULT-VALUE}).")
    String backend;

    @Option(names = "--out", required = true, description = "Output codebook file.")
    Path out;

    @Override
    public Integer call() throws Exception {
        if ((inputs == null) == (audio == null)) {
            throw new ParameterException(spec.commandLine(), "give --input (video frames) or --audio (WAV files), not both");
        }
        if (audio != null) {
            return trainAudio();
        }
        CodebookTrainer.Options options;
        try {
            options = new CodebookTrainer.Options(patch, size, stages, residualSize, dcBits, iterations, maxVectors, seed);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        String codebookId = id != null ? id
                : "p" + patch + "-k" + size + (stages > 1 ? "-r" + (stages - 1) + "x" + residualSize : "") + "-seed" + seed;
        VideoCodebook codebook;
        try (TerminalProgress progress = TerminalProgress.of("weir train-codebook")) {
            List<RgbFrame> frames = read(progress);
            try (VideoKernels kernels = Kernels.video(backend)) {
                CodebookTrainer trainer = new CodebookTrainer(options, kernels);
                codebook = progress.whileWorking("k-means on " + frames.size() + " frames, K=" + size + ", " + stages + " stage(s)",
                        () -> trainer.train(codebookId, frames));
            }
        }
        codebook.write(out);
        PrintWriter w = spec.commandLine().getOut();
        w.println("wrote " + out + ": " + codebook);
        w.flush();
        return 0;
    }

    /** Every input's frames (at most {@code --frames-per-input} of each), counted on the progress line. */
    private List<RgbFrame> read(TerminalProgress progress) throws Exception {
        List<RgbFrame> frames = new ArrayList<>();
        for (Path input : inputs) {
            try (FrameSource source = FrameSource.open(input)) {
                Optional<RgbFrame> frame;
                int read = 0;
                while ((framesPerInput <= 0 || read < framesPerInput) && (frame = source.next()).isPresent()) {
                    frames.add(frame.get());
                    read++;
                    progress.update("reading frames", frames.size(), 0);
                }
            }
        }
        return frames;
    }

    private int trainAudio() throws Exception {
        AudioCodebookTrainer.Options options;
        try {
            int vectors = spec.commandLine().getParseResult().hasMatchedOption("--max-vectors") ? maxVectors
                    : AudioCodebookTrainer.Options.defaults().maxVectors();
            options = new AudioCodebookTrainer.Options(rate, envelopeSizes, shapeSizes, iterations, vectors, seed);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        AudioCodebook codebook;
        try (VideoKernels kernels = Kernels.video(backend)) {
            codebook = new AudioCodebookTrainer(options, kernels).trainOnFiles(id != null ? id : options.defaultId(), audio);
        }
        codebook.write(out);
        PrintWriter w = spec.commandLine().getOut();
        w.println("wrote " + out + ": " + codebook);
        w.flush();
        return 0;
    }
}
