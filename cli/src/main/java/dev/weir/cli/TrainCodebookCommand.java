package dev.weir.cli;

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

/** {@code weir train-codebook}: trains a video shape codebook from images or clips. */
@Command(name = "train-codebook", mixinStandardHelpOptions = true,
        description = "Train a video codebook (k-means++ and Lloyd, reproducible for a seed) and write it to a file.")
public final class TrainCodebookCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--input", required = true, arity = "1..*",
            description = "Folders of .jpg/.png images, single images or .y4m clips.")
    List<Path> inputs;

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
}
