package dev.weir.kernels.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Result of {@link KernelBenchmark#run}: one {@link Case} per frame size and codebook size, with the
 * scalar baseline measured in the same run and the CPU's FP32 peak.
 *
 * @param backend    backend measured, as {@code VideoKernels.backend()} names it
 * @param selection  why auto chose it (empty when named)
 * @param host       the machine: CPU model, cores, JVM, vector width
 * @param peak       the measured CPU FP32 peak, or null when not measured
 * @param cases      per frame size and codebook size
 */
public record BenchReport(String backend, String selection, Host host, Peak peak, List<Case> cases) {

    /** The machine the benchmark ran on. */
    public record Host(String cpuModel, int cores, double cpuMhz, String jvm, int floatLanes, List<String> cpuFlags) {
    }

    /**
     * CPU FP32 peak from a tight Vector API FMA loop: one thread per second of its CPU time, and all
     * threads per second of wall time; and
     * the nominal {@code cores × GHz × lanes × 2 (FMA) × fmaUnits} from /proc/cpuinfo as a cross-check.
     */
    public record Peak(double measuredGflopsOneThread, double measuredGflopsAllThreads, int threads,
                       double nominalGflops, String nominalFormula) {
    }

    /**
     * One frame size × codebook size.
     *
     * @param kernelMs        per-kernel wall time per frame on the backend (patchify, novelty-topk, nearest)
     * @param kernelCpuMs     per-kernel CPU time of the calling thread per frame (what a single-threaded CPU
     *                        backend costs on a shared machine; excludes accelerator time)
     * @param frameMs         whole frame step, frame by frame
     * @param batchedFrameMs  whole frame step per frame, {@code batch} frames per execution
     * @param searchGops      codebook search operations 2·k·K·d per second of {@code nearest} wall time, in 10^9/s
     * @param searchGopsCpu   the same per second of {@code nearest} CPU time of the calling thread
     * @param searchPeakFraction search rate over the measured one-thread FP32 peak: searchGopsCpu for the
     *                        single-threaded jvm backends, searchGops (wall) for others; NaN without peak
     * @param searchPeakFractionAllCores searchGops (wall) over the measured all-cores FP32 peak; NaN without peak
     * @param peakNearCase    the one-thread peak measured again right after this case (GFLOP/s per CPU
     *                        second), to show how much the machine itself varied during the run; NaN without peak
     * @param scalar          the same on jvm-scalar, or null when skipped
     * @param frameSpeedup    scalar frameMs / frameMs (wall)
     * @param searchSpeedup   searchGops / scalar searchGops (wall)
     * @param frameSpeedupCpu scalar / backend per-frame CPU time of the calling thread: the fair ratio
     *                        between single-threaded CPU backends on a loaded machine, meaningless for opencl
     * @param placement       where the frame step ran: {@code fused on opencl:...} (whole step on the device) or
     *                        {@code composed on ...} (kernels called one by one from the host)
     * @param kernelDeviceMs  per-task device time per frame from the device's own profiling (fused only, else
     *                        empty); when present, searchGops uses its {@code nearest} time
     * @param composedFrameMs the same frame step composed from the host on the same backend, frame by frame
     *                        (measured only when the step was fused; NaN otherwise)
     * @param composedBatchedFrameMs the same, batched; NaN when not measured
     * @param fusedSpeedup    composedFrameMs / frameMs; NaN when not measured
     * @param fusedBatchedSpeedup composedBatchedFrameMs / batchedFrameMs; NaN when not measured
     */
    public record Case(int width, int height, int patch, int codebookSize, int patches, int kept, int frames,
                       int batch, Map<String, Double> kernelMs, Map<String, Double> kernelCpuMs, double frameMs, double fps, double batchedFrameMs,
                       double batchedFps, double searchGops, double searchGopsCpu, double searchPeakFraction,
                       double searchPeakFractionAllCores, double peakNearCase, Baseline scalar,
                       double frameSpeedup, double searchSpeedup, double frameSpeedupCpu, String placement,
                       Map<String, Double> kernelDeviceMs, double composedFrameMs, double composedBatchedFrameMs,
                       double fusedSpeedup, double fusedBatchedSpeedup) {
    }

    /** The scalar reference measured in the same run. */
    public record Baseline(int frames, Map<String, Double> kernelMs, Map<String, Double> kernelCpuMs, double frameMs,
                           double searchGops, double searchGopsCpu) {
    }

    /** A plain-text summary, one line per case, for terminals ({@link #toJson()} has everything). */
    public String toTable() {
        StringBuilder out = new StringBuilder();
        out.append("backend ").append(backend);
        if (!selection.isEmpty()) {
            out.append(" (").append(selection).append(')');
        }
        out.append('\n');
        if (peak != null) {
            out.append(String.format(Locale.ROOT, "CPU FP32 peak: %.1f GFLOP/s one thread, %.1f on %d threads; nominal %s%n",
                    peak.measuredGflopsOneThread(), peak.measuredGflopsAllThreads(), peak.threads(), peak.nominalFormula()));
        }
        out.append(String.format(Locale.ROOT, "%-10s %5s %5s %14s %20s %11s %9s %11s  %s%n", "frame", "K", "kept",
                "ms/frame", "batched ms/frame", "search GOP/s", "x scalar", "x composed", "placement"));
        for (Case c : cases) {
            out.append(String.format(Locale.ROOT, "%-10s %5d %5d %8.3f (%4.0f) %11.3f ×%-3d (%4.0f) %11.1f %9.1f %11s  %s%n",
                    c.width() + "x" + c.height(), c.codebookSize(), c.kept(), c.frameMs(), c.fps(), c.batchedFrameMs(),
                    c.batch(), c.batchedFps(), c.searchGops(), c.frameSpeedup(),
                    Double.isNaN(c.fusedSpeedup()) ? "-" : String.format(Locale.ROOT, "%.2f", c.fusedSpeedup()), c.placement()));
        }
        return out.toString();
    }

    /** Pretty-printed JSON. */
    public String toJson() {
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
