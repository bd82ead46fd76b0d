package dev.weir.kernels.bench;

import dev.weir.kernels.PatchGrid;
import dev.weir.kernels.Kernels;
import dev.weir.kernels.VideoKernels;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Microbenchmark (not a test, no JMH) of the kernels over RGB24 bytes: {@code patchify},
 * {@code patchSquaredError} and {@code squaredError} of one backend against {@code jvm-scalar} in the same
 * run, on random frames. Both backends are timed in alternating rounds (so drift on a shared machine hits
 * both), each round the thread CPU time of several calls; the report is the median round per call and the
 * ratio scalar / backend.
 *
 * <p>{@code PixelKernelBenchmark [--backend jvm] [--sizes 384x288,1920x1088] [--patches 8,16,32] [--rounds 15]}
 */
public final class PixelKernelBenchmark {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    /** Warm-up per kernel and backend, so the JIT has compiled the loops before any round is timed. */
    private static final long WARMUP_NANOS = 1_000_000_000L;
    /** CPU time a round aims for. */
    private static final long ROUND_NANOS = 50_000_000L;
    /** Where results go, so the JIT cannot drop a call whose result is unused. */
    private static long sink;

    private PixelKernelBenchmark() {
    }

    /** One kernel call on a backend, on the inputs of a case. */
    private interface Call {
        void run(VideoKernels kernels);
    }

    public static void main(String[] args) {
        String backend = "jvm";
        List<String> sizes = List.of("384x288", "1920x1088");
        List<Integer> patches = List.of(8, 16, 32);
        int rounds = 15;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--backend" -> backend = args[++i];
                case "--sizes" -> sizes = List.of(args[++i].split(","));
                case "--patches" -> patches = Arrays.stream(args[++i].split(",")).map(Integer::valueOf).toList();
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        try (VideoKernels kernels = Kernels.video(backend); VideoKernels scalar = Kernels.video("jvm-scalar")) {
            System.out.printf(Locale.ROOT, "%-18s %-10s %3s %12s %12s %8s%n", "kernel", "size", "P",
                    kernels.backend() + " ms", "scalar ms", "ratio");
            for (String size : sizes) {
                for (int p : patches) {
                    PatchGrid g = BenchOptions.parseSize(size, p);
                    SplittableRandom random = new SplittableRandom(g.width() * 31L + p);
                    byte[] a = randomBytes(random, g.rgbBytes());
                    byte[] b = randomBytes(random, g.rgbBytes());
                    int[] codes = new int[3 * g.patches()];
                    short[] residuals = new short[g.patches() * g.patchDim()];
                    long[] errors = new long[g.patches()];
                    report("patchify", size, p, rounds, kernels, scalar,
                            k -> k.patchify(a, g, 6, codes, residuals));
                    report("patchSquaredError", size, p, rounds, kernels, scalar,
                            k -> k.patchSquaredError(a, b, g, errors));
                    if (p == patches.getFirst()) {
                        report("squaredError", size, 0, rounds, kernels, scalar,
                                k -> sink += k.squaredError(a, b, a.length));
                    }
                }
            }
        }
        if (sink == 42) {
            System.out.println();
        }
    }

    private static void report(String kernel, String size, int p, int rounds, VideoKernels kernels,
                               VideoKernels scalar, Call call) {
        int calls = Math.max(1, (int) (ROUND_NANOS / Math.max(1, warmUp(kernels, call))));
        int scalarCalls = Math.max(1, (int) (ROUND_NANOS / Math.max(1, warmUp(scalar, call))));
        double[] ms = new double[rounds];
        double[] scalarMs = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            ms[r] = cpuMsPerCall(kernels, call, calls);
            scalarMs[r] = cpuMsPerCall(scalar, call, scalarCalls);
        }
        double median = median(ms);
        double scalarMedian = median(scalarMs);
        System.out.printf(Locale.ROOT, "%-18s %-10s %3s %12.4f %12.4f %8.2f%n", kernel, size, p == 0 ? "-" : p,
                median, scalarMedian, scalarMedian / median);
    }

    /** Runs the call for {@link #WARMUP_NANOS}; returns the CPU nanoseconds of its last execution. */
    private static long warmUp(VideoKernels kernels, Call call) {
        long start = System.nanoTime();
        long last;
        do {
            long cpu = THREADS.getCurrentThreadCpuTime();
            call.run(kernels);
            last = THREADS.getCurrentThreadCpuTime() - cpu;
        } while (System.nanoTime() - start < WARMUP_NANOS);
        return last;
    }

    private static double cpuMsPerCall(VideoKernels kernels, Call call, int calls) {
        long cpu = THREADS.getCurrentThreadCpuTime();
        for (int c = 0; c < calls; c++) {
            call.run(kernels);
        }
        return (THREADS.getCurrentThreadCpuTime() - cpu) / 1e6 / calls;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static byte[] randomBytes(SplittableRandom random, int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) random.nextInt(256);
        }
        return bytes;
    }
}
