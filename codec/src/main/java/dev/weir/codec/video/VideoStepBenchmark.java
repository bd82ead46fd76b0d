package dev.weir.codec.video;

import dev.weir.codec.TokenPacket;
import dev.weir.codec.compress.Pruner;
import dev.weir.codec.video.internals.PatchVideoEncoder;
import dev.weir.kernels.ExecutionPlan;
import dev.weir.kernels.Kernels;
import dev.weir.kernels.PatchGrid;
import dev.weir.kernels.PatchStepPlan;
import dev.weir.kernels.VideoKernels;
import dev.weir.kernels.bench.BenchOptions;
import dev.weir.kernels.bench.BenchReport;
import dev.weir.kernels.bench.CpuPeak;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The product's frame step as a benchmark (not a test; {@code weir bench kernels}): the video encoder the topology
 * runs ({@link VideoEncoder} with the default codebook and {@link CompressionConfig#defaults()}), frame after frame
 * on a {@link SyntheticClip} stream, per frame size: fused on the device (when the backend can), the same step
 * composed from the host on the same backend, and a reference backend (usually {@code jvm}) on the same frames, all
 * in one run; the packets of every placement must equal the reference's. It times the whole encoder step per frame,
 * its plan's tasks (measure, select, encode) and, when fused, each device stage from the queue's profiling.
 */
public final class VideoStepBenchmark {

    private static final Logger LOG = LoggerFactory.getLogger(VideoStepBenchmark.class);
    /** Warm-up per placement: whole warm-up streams until at least this long, so C2 has compiled the hot loops. */
    private static final long WARMUP_NANOS = 1_500_000_000L;
    private static final int SNAPSHOT_ROUNDS = 5;

    private VideoStepBenchmark() {
    }

    /** Runs the benchmark described by {@code options}; logs progress, prints nothing. */
    public static BenchReport run(BenchOptions options) {
        BenchReport.Host host = CpuPeak.host();
        BenchReport.Peak peak = options.measurePeak() ? CpuPeak.measure(host.cores(), 2000) : null;
        VideoCodebook codebook = VideoCodebook.defaultFor(options.patch());
        List<BenchReport.Case> cases = new ArrayList<>();
        String backendName;
        String selection;
        try (VideoKernels kernels = Kernels.video(options.backend());
             VideoKernels reference = options.reference().isEmpty() ? null : Kernels.video(options.reference())) {
            backendName = kernels.backend();
            selection = kernels.selectionReason();
            for (String size : options.sizes()) {
                cases.add(measureCase(codebook, kernels, reference, BenchOptions.parseSize(size, options.patch()), options));
            }
        }
        return new BenchReport(backendName, selection, host, peak, cases);
    }

    private static BenchReport.Case measureCase(VideoCodebook codebook, VideoKernels kernels, VideoKernels reference,
                                                PatchGrid g, BenchOptions options) {
        Pass first = pass(codebook, kernels, true, g, options);
        Pass fused = first.run.placement().startsWith("fused") ? first : null;
        Pass composed = fused == null ? first : options.composed() ? pass(codebook, kernels, false, g, options) : null;
        Pass ref = reference == null ? null : pass(codebook, reference, true, g, options);
        boolean matches = ref == null || ((fused == null || fused.packets.equals(ref.packets))
                && (composed == null || composed.packets.equals(ref.packets)));
        Pass best = fused != null ? fused : composed;
        double fusedSpeedup = fused != null && composed != null ? composed.run.frameMs() / fused.run.frameMs() : Double.NaN;
        double referenceSpeedup = ref == null ? Double.NaN : ref.run.frameMs() / best.run.frameMs();
        LOG.info("{}x{}: {} ms/frame {}, composed {}, reference {} ({}), packets equal: {}", g.width(), g.height(),
                round(best.run.frameMs()), best.run.placement(), composed == null ? "-" : round(composed.run.frameMs()),
                ref == null ? "-" : round(ref.run.frameMs()), ref == null ? "" : ref.run.placement(), matches);
        return new BenchReport.Case(g.width(), g.height(), g.patch(), g.patches(), codebook.stages().size(),
                options.frames(), "SyntheticClip frames " + options.warmupFrames() + ".." + (options.warmupFrames()
                + options.frames() - 1), best.sent / options.frames(),
                best.packets.stream().map(TokenPacket::positionCount).toList(), best.keyframes,
                fused == null ? null : fused.run, composed == null ? null : composed.run, ref == null ? null : ref.run,
                matches, fusedSpeedup, referenceSpeedup);
    }

    /** One placement's timed stream, and what it sent. */
    private record Pass(BenchReport.Run run, List<TokenPacket> packets, double sent, int keyframes) {
    }

    private static Pass pass(VideoCodebook codebook, VideoKernels kernels, boolean fuse, PatchGrid g, BenchOptions options) {
        long warmStart = System.nanoTime();
        do {
            try (PatchVideoEncoder warm = encoder(codebook, kernels, fuse)) {
                for (int f = 0; f < Math.max(1, options.warmupFrames()); f++) {
                    warm.encode(f, SyntheticClip.frame(g.width(), g.height(), f));
                }
            }
        } while (System.nanoTime() - warmStart < WARMUP_NANOS);
        try (PatchVideoEncoder encoder = encoder(codebook, kernels, fuse)) {
            for (int f = 0; f < options.warmupFrames(); f++) {
                encoder.encode(f, SyntheticClip.frame(g.width(), g.height(), f));
            }
            int frames = options.frames();
            double[] frameMs = new double[frames];
            Map<String, Double> taskMs = new LinkedHashMap<>();
            Map<String, Double> taskCpuMs = new LinkedHashMap<>();
            Map<String, Double> deviceMs = new LinkedHashMap<>();
            List<TokenPacket> packets = new ArrayList<>();
            double sent = 0;
            int keyframes = 0;
            for (int i = 0; i < frames; i++) {
                int f = options.warmupFrames() + i;
                RgbFrame frame = SyntheticClip.frame(g.width(), g.height(), f);
                long start = System.nanoTime();
                TokenPacket packet = encoder.encode(f, frame).packet();
                frameMs[i] = (System.nanoTime() - start) / 1e6;
                PatchStepPlan plan = encoder.plan();
                ExecutionPlan tasks = plan.plan();
                tasks.lastTaskNanos().forEach((task, nanos) -> taskMs.merge(task, nanos / 1e6, Double::sum));
                tasks.lastTaskCpuNanos().forEach((task, nanos) -> taskCpuMs.merge(task, nanos / 1e6, Double::sum));
                plan.lastDeviceNanos().forEach((stage, nanos) -> deviceMs.merge(stage, nanos / 1e6, Double::sum));
                packets.add(packet);
                sent += packet.positionCount();
                keyframes += packet.keyframe() ? 1 : 0;
            }
            taskMs.replaceAll((task, ms) -> ms / frames);
            taskCpuMs.replaceAll((task, ms) -> ms / frames);
            deviceMs.replaceAll((stage, ms) -> ms / frames);
            double mean = Arrays.stream(frameMs).average().orElse(Double.NaN);
            double[] sorted = frameMs.clone();
            Arrays.sort(sorted);
            PatchStepPlan plan = encoder.plan();
            BenchReport.Run run = new BenchReport.Run(plan.placement(), mean, sorted[frames / 2],
                    sorted[Math.min(frames - 1, (int) Math.ceil(0.9 * frames) - 1)], 1000 / mean, taskMs, taskCpuMs,
                    deviceMs, plan.deviceBytes(), snapshot(encoder, codebook, kernels, fuse));
            return new Pass(run, packets, sent, keyframes);
        }
    }

    /** The stream's snapshot, and its restore into fresh encoders on the same backend, each timed a few times. */
    private static BenchReport.Snapshot snapshot(PatchVideoEncoder encoder, VideoCodebook codebook, VideoKernels kernels,
                                                 boolean fuse) {
        byte[] snapshot = encoder.snapshot();
        long start = System.nanoTime();
        for (int i = 0; i < SNAPSHOT_ROUNDS; i++) {
            snapshot = encoder.snapshot();
        }
        double snapshotMs = (System.nanoTime() - start) / 1e6 / SNAPSHOT_ROUNDS;
        long restoreNanos = 0;
        for (int i = 0; i <= SNAPSHOT_ROUNDS; i++) {
            try (PatchVideoEncoder restored = encoder(codebook, kernels, fuse)) {
                long t = System.nanoTime();
                restored.restore(snapshot);
                restoreNanos += i == 0 ? 0 : System.nanoTime() - t; // the first is a warm-up
            }
        }
        return new BenchReport.Snapshot(snapshot.length, snapshotMs, restoreNanos / 1e6 / SNAPSHOT_ROUNDS);
    }

    private static PatchVideoEncoder encoder(VideoCodebook codebook, VideoKernels kernels, boolean fuse) {
        return new PatchVideoEncoder(codebook, kernels, CompressionConfig.defaults(), Pruner.MOST_NOVEL, fuse);
    }

    private static double round(double value) {
        return Double.isNaN(value) ? value : Math.round(value * 100) / 100.0;
    }

    /**
     * {@code VideoStepBenchmark [--backend B] [--sizes 384x288,...] [--patch 16] [--frames N] [--warmup N]
     * [--no-composed] [--reference jvm|none] [--peak] [--out FILE]}: prints the JSON report (or writes it to FILE).
     */
    public static void main(String[] args) throws IOException {
        BenchOptions d = BenchOptions.defaults("auto");
        String backend = d.backend();
        List<String> sizes = d.sizes();
        int patch = d.patch();
        int frames = d.frames();
        int warmup = d.warmupFrames();
        boolean composed = d.composed();
        String reference = d.reference();
        boolean peak = d.measurePeak();
        Path out = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--backend" -> backend = args[++i];
                case "--sizes" -> sizes = List.of(args[++i].split(","));
                case "--patch" -> patch = Integer.parseInt(args[++i]);
                case "--frames" -> frames = Integer.parseInt(args[++i]);
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                case "--no-composed" -> composed = false;
                case "--reference" -> reference = args[++i].equals("none") ? "" : args[i];
                case "--peak" -> peak = true;
                case "--out" -> out = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        BenchReport report = run(new BenchOptions(backend, sizes, patch, frames, warmup, composed, reference, peak));
        if (out == null) {
            System.out.println(report.toJson());
        } else {
            Files.writeString(out, report.toJson());
        }
    }
}
