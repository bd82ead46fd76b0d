package dev.weir.kernels.bench;

import dev.weir.kernels.PatchGrid;
import dev.weir.kernels.FrameStepPlan;
import dev.weir.kernels.FrameStepSpec;
import dev.weir.kernels.Kernels;
import dev.weir.kernels.ShapeCodebook;
import dev.weir.kernels.VideoKernels;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Kernel benchmark (not a test): times the frame step of {@code torch_ref.py} (patchify + mean removal,
 * novelty 1 − cos against a reference, top-k, nearest search of the kept patches) through
 * {@link FrameStepPlan} on a backend, frame by frame and batched, and the same on the {@code jvm-scalar}
 * reference in the same run, plus the CPU FP32 peak. Inputs are random frames, a random reference and a
 * random codebook, as in torch_ref.py. The search counts 2·k·K·d operations per frame, as torch_ref.py does.
 */
public final class KernelBenchmark {

    private static final Logger LOG = LoggerFactory.getLogger(KernelBenchmark.class);
    /**
     * Warm-up per case: at least this many executions and this long (at most {@link #WARMUP_MAX_EXECUTIONS}),
     * so C2 has compiled the Vector API loops, which run ~100× slower interpreted; 50 executions were too few
     * for small frames.
     */
    private static final int WARMUP_EXECUTIONS = 2;
    private static final long WARMUP_NANOS = 2_000_000_000L;
    private static final int WARMUP_MAX_EXECUTIONS = 5_000;
    private static final int DC_BITS = 6;

    private KernelBenchmark() {
    }

    /** Runs the benchmark described by {@code options}; logs progress, prints nothing. */
    public static BenchReport run(BenchOptions options) {
        BenchReport.Host host = CpuPeak.host();
        BenchReport.Peak peak = options.measurePeak() ? CpuPeak.measure(host.cores(), 2000) : null;
        if (peak != null) {
            LOG.info("CPU FP32 peak: {} GFLOP/s one thread, {} GFLOP/s {} threads; nominal {}",
                    round(peak.measuredGflopsOneThread()), round(peak.measuredGflopsAllThreads()), peak.threads(),
                    peak.nominalFormula());
        }
        List<BenchReport.Case> cases = new ArrayList<>();
        String backendName;
        String selection;
        try (VideoKernels kernels = Kernels.video(options.backend());
             VideoKernels scalar = Kernels.video("jvm-scalar")) {
            backendName = kernels.backend();
            selection = kernels.selectionReason();
            if (options.scalarFrames() > 0) {
                warmUpScalar(scalar, options);
            }
            for (String size : options.sizes()) {
                PatchGrid g = parseSize(size, options.patch());
                for (int codebookSize : options.codebookSizes()) {
                    cases.add(measureCase(kernels, scalar, g, codebookSize, options, peak));
                }
            }
        }
        return new BenchReport(backendName, selection, host, peak, cases);
    }

    private static BenchReport.Case measureCase(VideoKernels kernels, VideoKernels scalar, PatchGrid g,
                                                int codebookSize, BenchOptions options, BenchReport.Peak peak) {
        SplittableRandom random = new SplittableRandom(codebookSize * 31L + g.width());
        ShapeCodebook codebook = randomCodebook(random, codebookSize, g.patchDim());
        short[] reference = new short[g.patches() * g.patchDim()];
        for (int i = 0; i < reference.length; i++) {
            reference[i] = (short) random.nextInt(-128, 128);
        }
        int frameCount = Math.max(options.frames(), options.batch());
        byte[][] frames = new byte[Math.min(frameCount, options.batch() * 2)][];
        for (int f = 0; f < frames.length; f++) {
            frames[f] = new byte[g.rgbBytes()];
            for (int i = 0; i < frames[f].length; i++) {
                frames[f][i] = (byte) random.nextInt(256);
            }
        }
        FrameStepSpec one = new FrameStepSpec(g, DC_BITS, options.keepFraction(), 1, codebook, false);
        Timing single = timeFrameByFrame(kernels, one, reference, frames, options.frames(), WARMUP_EXECUTIONS, false);
        FrameStepSpec batched = new FrameStepSpec(g, DC_BITS, options.keepFraction(), options.batch(), codebook, false);
        double batchedMs = timeBatched(kernels, batched, reference, frames, options.frames(), false);
        // Fused on the device? Then the same step composed from the host, same backend, same run, is the baseline of fusion.
        double composedMs = Double.NaN;
        double composedBatchedMs = Double.NaN;
        if (single.placement.startsWith("fused")) {
            composedMs = timeFrameByFrame(kernels, one, reference, frames, options.frames(), WARMUP_EXECUTIONS, true).frameMs;
            composedBatchedMs = timeBatched(kernels, batched, reference, frames, options.frames(), true);
        }
        int k = one.keptPerFrame();
        double searchOps = 2.0 * k * codebookSize * g.patchDim();
        double nearestMs = single.kernelDeviceMs.getOrDefault("nearest", single.kernelMs.get("nearest"));
        double searchGops = searchOps / (nearestMs * 1e6);
        double searchGopsCpu = searchOps / (single.kernelCpuMs.get("nearest") * 1e6);
        BenchReport.Baseline baseline = null;
        double frameSpeedup = Double.NaN;
        double searchSpeedup = Double.NaN;
        double frameSpeedupCpu = Double.NaN;
        if (options.scalarFrames() > 0) {
            Timing s = timeFrameByFrame(scalar, one, reference, frames, options.scalarFrames(), 0, true);
            double scalarGops = searchOps / (s.kernelMs.get("nearest") * 1e6);
            double scalarGopsCpu = searchOps / (s.kernelCpuMs.get("nearest") * 1e6);
            baseline = new BenchReport.Baseline(options.scalarFrames(), s.kernelMs, s.kernelCpuMs, s.frameMs, scalarGops,
                    scalarGopsCpu);
            frameSpeedup = s.frameMs / single.frameMs;
            searchSpeedup = searchGops / scalarGops;
            frameSpeedupCpu = sum(s.kernelCpuMs) / sum(single.kernelCpuMs);
        }
        boolean cpuBackend = kernels.backend().startsWith("jvm");
        double fraction = peak == null ? Double.NaN
                : (cpuBackend ? searchGopsCpu : searchGops) / peak.measuredGflopsOneThread();
        double fractionAll = peak == null ? Double.NaN : searchGops / peak.measuredGflopsAllThreads();
        double peakNearCase = peak == null ? Double.NaN : CpuPeak.gflopsPerCpuSecond(300);
        LOG.info("{}x{} K={}: {} ms/frame, batched {} ms/frame, search {} GOP/s ({} per CPU second; peak now {}),"
                        + " x{} vs scalar; {}{}", g.width(), g.height(), codebookSize, round(single.frameMs), round(batchedMs),
                round(searchGops), round(searchGopsCpu), round(peakNearCase), round(frameSpeedup), single.placement,
                Double.isNaN(composedMs) ? "" : ", x" + round(composedMs / single.frameMs) + " vs composed");
        return new BenchReport.Case(g.width(), g.height(), g.patch(), codebookSize, g.patches(), k, options.frames(),
                options.batch(), single.kernelMs, single.kernelCpuMs, single.frameMs, 1000 / single.frameMs, batchedMs,
                1000 / batchedMs, searchGops, searchGopsCpu, fraction, fractionAll, peakNearCase, baseline, frameSpeedup, searchSpeedup,
                frameSpeedupCpu, single.placement, single.kernelDeviceMs, composedMs, composedBatchedMs,
                composedMs / single.frameMs, composedBatchedMs / batchedMs);
    }

    /** Mean per-task and per-frame milliseconds of {@code count} single-frame executions. */
    private record Timing(Map<String, Double> kernelMs, Map<String, Double> kernelCpuMs,
                          Map<String, Double> kernelDeviceMs, double frameMs, String placement) {
    }

    private static FrameStepPlan plan(VideoKernels kernels, FrameStepSpec spec, boolean composed) {
        return composed ? FrameStepPlan.composed(kernels, spec) : FrameStepPlan.create(kernels, spec);
    }

    private static Timing timeFrameByFrame(VideoKernels kernels, FrameStepSpec spec, short[] reference,
                                           byte[][] frames, int count, int warmup, boolean composed) {
        try (FrameStepPlan plan = plan(kernels, spec, composed)) {
            plan.reference(reference);
            long warmStart = System.nanoTime();
            for (int w = 0; w < warmup || (warmup > 0 && w < WARMUP_MAX_EXECUTIONS && System.nanoTime() - warmStart < WARMUP_NANOS); w++) {
                plan.execute(frames[w % frames.length]);
            }
            Map<String, Double> kernelMs = new LinkedHashMap<>();
            Map<String, Double> kernelCpuMs = new LinkedHashMap<>();
            Map<String, Double> kernelDeviceMs = new LinkedHashMap<>();
            long total = 0;
            for (int f = 0; f < count; f++) {
                long start = System.nanoTime();
                plan.execute(frames[f % frames.length]);
                total += System.nanoTime() - start;
                plan.plan().lastTaskNanos().forEach((task, nanos) -> kernelMs.merge(task, nanos / 1e6, Double::sum));
                plan.plan().lastTaskCpuNanos().forEach((task, nanos) -> kernelCpuMs.merge(task, nanos / 1e6, Double::sum));
                plan.lastDeviceNanos().forEach((task, nanos) -> kernelDeviceMs.merge(task, nanos / 1e6, Double::sum));
            }
            kernelMs.replaceAll((task, ms) -> ms / count);
            kernelCpuMs.replaceAll((task, ms) -> ms / count);
            kernelDeviceMs.replaceAll((task, ms) -> ms / count);
            return new Timing(kernelMs, kernelCpuMs, kernelDeviceMs, total / 1e6 / count, plan.placement());
        }
    }

    /** Mean milliseconds per frame when {@code spec.batch()} frames run per execution. */
    private static double timeBatched(VideoKernels kernels, FrameStepSpec spec, short[] reference, byte[][] frames,
                                      int count, boolean composed) {
        int batch = spec.batch();
        byte[][] input = new byte[batch][];
        for (int f = 0; f < batch; f++) {
            input[f] = frames[f % frames.length];
        }
        int executions = Math.max(1, (count + batch - 1) / batch);
        try (FrameStepPlan plan = plan(kernels, spec, composed)) {
            plan.reference(reference);
            plan.execute(input);
            long start = System.nanoTime();
            for (int e = 0; e < executions; e++) {
                plan.execute(input);
            }
            return (System.nanoTime() - start) / 1e6 / ((double) executions * batch);
        }
    }

    /** Lets the JIT compile the scalar loops on a small frame, so the baseline is not charged for it. */
    private static void warmUpScalar(VideoKernels scalar, BenchOptions options) {
        PatchGrid g = new PatchGrid(8 * options.patch(), 6 * options.patch(), options.patch());
        ShapeCodebook cb = randomCodebook(new SplittableRandom(1), 256, g.patchDim());
        try (FrameStepPlan plan = FrameStepPlan.create(scalar, new FrameStepSpec(g, DC_BITS, 0.25, 1, cb, true))) {
            byte[] frame = new byte[g.rgbBytes()];
            for (int i = 0; i < 20; i++) {
                frame[i] = (byte) i;
                plan.execute(frame);
            }
        }
    }

    private static ShapeCodebook randomCodebook(SplittableRandom random, int size, int dim) {
        byte[] q = new byte[size * dim];
        for (int i = 0; i < q.length; i++) {
            q[i] = (byte) random.nextInt(-127, 128);
        }
        return new ShapeCodebook(size, dim, 0, q);
    }

    static PatchGrid parseSize(String size, int patch) {
        String[] parts = size.toLowerCase().split("x");
        if (parts.length != 2) {
            throw new IllegalArgumentException("frame size must be WIDTHxHEIGHT: " + size);
        }
        return new PatchGrid(Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim()), patch);
    }

    private static double sum(Map<String, Double> ms) {
        return ms.values().stream().mapToDouble(Double::doubleValue).sum();
    }

    private static double round(double value) {
        return Double.isNaN(value) ? value : Math.round(value * 100) / 100.0;
    }

    /**
     * {@code KernelBenchmark [--backend B] [--sizes 384x288,...] [--k 1024,4096] [--frames N]
     * [--scalar-frames N] [--batch N] [--no-peak] [--out FILE]}: prints the JSON report (or writes it to FILE).
     */
    public static void main(String[] args) throws IOException {
        BenchOptions d = BenchOptions.defaults("auto");
        String backend = d.backend();
        List<String> sizes = d.sizes();
        List<Integer> ks = d.codebookSizes();
        int frames = d.frames();
        int scalarFrames = d.scalarFrames();
        int batch = d.batch();
        int patch = d.patch();
        boolean peak = d.measurePeak();
        Path out = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--backend" -> backend = args[++i];
                case "--sizes" -> sizes = List.of(args[++i].split(","));
                case "--k" -> ks = List.of(args[++i].split(",")).stream().map(Integer::valueOf).toList();
                case "--frames" -> frames = Integer.parseInt(args[++i]);
                case "--scalar-frames" -> scalarFrames = Integer.parseInt(args[++i]);
                case "--batch" -> batch = Integer.parseInt(args[++i]);
                case "--patch" -> patch = Integer.parseInt(args[++i]);
                case "--no-peak" -> peak = false;
                case "--out" -> out = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        BenchReport report = run(new BenchOptions(backend, sizes, ks, patch, frames, scalarFrames, batch,
                d.keepFraction(), peak));
        if (out == null) {
            System.out.println(report.toJson());
        } else {
            Files.writeString(out, report.toJson());
        }
    }
}
