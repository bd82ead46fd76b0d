package dev.weir.kernels.bench;

import java.util.List;
import java.util.Objects;

/**
 * What {@link KernelBenchmark#run} measures.
 *
 * @param backend        backend under test ({@code jvm}, {@code opencl}, {@code auto}, {@code jvm-scalar})
 * @param sizes          frame sizes, each {@code WIDTHxHEIGHT}
 * @param codebookSizes  codebook sizes K
 * @param patch          patch side (8, 16, 32)
 * @param frames         frames timed per case on the backend under test
 * @param scalarFrames   frames timed per case on {@code jvm-scalar} for the baseline; 0 skips the baseline
 * @param batch          frames per execution in the batched run
 * @param keepFraction   share of patches searched per frame (the frame step's top-k)
 * @param measurePeak    whether to measure the CPU FP32 peak (a few seconds)
 */
public record BenchOptions(String backend, List<String> sizes, List<Integer> codebookSizes, int patch, int frames,
                           int scalarFrames, int batch, double keepFraction, boolean measurePeak) {

    public BenchOptions {
        Objects.requireNonNull(backend, "backend");
        sizes = List.copyOf(sizes);
        codebookSizes = List.copyOf(codebookSizes);
        if (frames < 1 || scalarFrames < 0 || batch < 1) {
            throw new IllegalArgumentException("frames ≥ 1, scalarFrames ≥ 0 and batch ≥ 1 required");
        }
    }

    /** The standard run: 384×288, 768×576, 1920×1088 with K = 1024 and 4096, patch 16, keep 25%. */
    public static BenchOptions defaults(String backend) {
        return new BenchOptions(backend, List.of("384x288", "768x576", "1920x1088"), List.of(1024, 4096), 16,
                8, 1, 8, 0.25, true);
    }
}
