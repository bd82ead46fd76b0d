package dev.weir.kernels.bench;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Measures the CPU's FP32 peak with a tight Vector API loop of independent fused multiply-adds (12
 * accumulators hide the FMA latency): on one thread per second of its CPU time, and on all cores per
 * second of wall time (lowered by whatever else runs). States the nominal peak from /proc/cpuinfo:
 * {@code cores × GHz × lanes × 2 (multiply + add) × FMA units}.
 */
public final class CpuPeak {

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

    private CpuPeak() {
    }

    /** Measures on one thread and on {@code threads} threads, each for about {@code millis} ms. */
    public static BenchReport.Peak measure(int threads, long millis) {
        fmaLoop(2_000_000); // warm up the JIT
        double one = gflopsPerCpuSecond(millis);
        double all = threads > 1 ? gflops(threads, millis) : one;
        BenchReport.Host host = host();
        int fmaUnits = 2;
        double nominal = host.cores() * host.cpuMhz() / 1000 * F.length() * 2 * fmaUnits;
        String formula = String.format(Locale.ROOT, "%d cores × %.3f GHz × %d lanes × 2 (FMA) × %d FMA units = %.1f GFLOP/s",
                host.cores(), host.cpuMhz() / 1000, F.length(), fmaUnits, nominal);
        return new BenchReport.Peak(one, all, threads, nominal, formula);
    }

    /**
     * One thread, counted per second of that thread's CPU time, so other processes on the machine do not
     * lower it (a virtual machine sharing physical cores with other tenants still can).
     */
    public static double gflopsPerCpuSecond(long millis) {
        var threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long iterations = 1_000_000;
        long cpu = 0;
        float sink = 0;
        while (cpu < millis * 1_000_000L) {
            long start = threads.getCurrentThreadCpuTime();
            sink += fmaLoop(iterations);
            cpu = threads.getCurrentThreadCpuTime() - start;
            if (cpu < millis * 1_000_000L) {
                iterations *= 2;
            }
        }
        return sink == 42 ? -1 : iterations * 12.0 * F.length() * 2 / cpu;
    }

    /** {@code threads} threads, counted per second of wall time. */
    private static double gflops(int threads, long millis) {
        long iterations = 1_000_000;
        long start = System.nanoTime();
        while (System.nanoTime() - start < millis * 1_000_000L / 4) {
            fmaLoop(iterations);
            iterations += iterations / 2;
        }
        long perThread = iterations;
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            long t0 = System.nanoTime();
            List<Future<Float>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                results.add(pool.submit(() -> fmaLoop(perThread)));
            }
            float sink = 0;
            for (Future<Float> f : results) {
                sink += f.get();
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            if (sink == 42) {
                return -1; // keeps the loop's result alive
            }
            return threads * perThread * 12.0 * F.length() * 2 / seconds / 1e9;
        } catch (Exception e) {
            throw new IllegalStateException("peak measurement failed", e);
        }
    }

    /** 12 independent FMA chains: iterations × 12 × lanes × 2 flops. */
    static float fmaLoop(long iterations) {
        FloatVector m = FloatVector.broadcast(F, 0.999999f);
        FloatVector c = FloatVector.broadcast(F, 1e-7f);
        FloatVector a0 = FloatVector.broadcast(F, 1f);
        FloatVector a1 = a0.add(1);
        FloatVector a2 = a0.add(2);
        FloatVector a3 = a0.add(3);
        FloatVector a4 = a0.add(4);
        FloatVector a5 = a0.add(5);
        FloatVector a6 = a0.add(6);
        FloatVector a7 = a0.add(7);
        FloatVector a8 = a0.add(8);
        FloatVector a9 = a0.add(9);
        FloatVector a10 = a0.add(10);
        FloatVector a11 = a0.add(11);
        for (long i = 0; i < iterations; i++) {
            a0 = a0.fma(m, c);
            a1 = a1.fma(m, c);
            a2 = a2.fma(m, c);
            a3 = a3.fma(m, c);
            a4 = a4.fma(m, c);
            a5 = a5.fma(m, c);
            a6 = a6.fma(m, c);
            a7 = a7.fma(m, c);
            a8 = a8.fma(m, c);
            a9 = a9.fma(m, c);
            a10 = a10.fma(m, c);
            a11 = a11.fma(m, c);
        }
        return a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).add(a8).add(a9).add(a10).add(a11)
                .reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
    }

    /** The machine, from /proc/cpuinfo where it exists. */
    public static BenchReport.Host host() {
        String model = "unknown";
        double mhz = 0;
        List<String> flags = List.of();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                int colon = line.indexOf(':');
                if (colon < 0) {
                    continue;
                }
                String key = line.substring(0, colon).trim();
                String value = line.substring(colon + 1).trim();
                if (key.equals("model name") && model.equals("unknown")) {
                    model = value;
                } else if (key.equals("cpu MHz") && mhz == 0) {
                    mhz = Double.parseDouble(value);
                } else if (key.equals("flags") && flags.isEmpty()) {
                    flags = List.of(value.split(" ")).stream()
                            .filter(f -> f.startsWith("avx") || f.equals("fma") || f.startsWith("amx")).toList();
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: leave the unknowns
        }
        return new BenchReport.Host(model, Runtime.getRuntime().availableProcessors(), mhz,
                Runtime.version().toString(), F.length(), flags);
    }
}
