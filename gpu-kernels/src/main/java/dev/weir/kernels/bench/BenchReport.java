package dev.weir.kernels.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.UncheckedIOException;
import java.util.List;
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
     */
    public record Case(int width, int height, int patch, int codebookSize, int patches, int kept, int frames,
                       int batch, Map<String, Double> kernelMs, Map<String, Double> kernelCpuMs, double frameMs, double fps, double batchedFrameMs,
                       double batchedFps, double searchGops, double searchGopsCpu, double searchPeakFraction,
                       double searchPeakFractionAllCores, double peakNearCase, Baseline scalar,
                       double frameSpeedup, double searchSpeedup, double frameSpeedupCpu) {
    }

    /** The scalar reference measured in the same run. */
    public record Baseline(int frames, Map<String, Double> kernelMs, Map<String, Double> kernelCpuMs, double frameMs,
                           double searchGops, double searchGopsCpu) {
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
