package dev.weir.kernels.bench;

/**
 * Kernel benchmark (not a test): times the frame step and its kernels on a backend and on the
 * {@code jvm-scalar} reference in the same run, plus the CPU FP32 peak. In progress.
 */
public final class KernelBenchmark {

    private KernelBenchmark() {
    }

    /** Runs the benchmark described by {@code options}. */
    public static BenchReport run(BenchOptions options) {
        throw new UnsupportedOperationException("not built yet");
    }
}
