package dev.weir.kernels.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Result of the frame-step benchmark: per frame size, the product's patch step (the video encoder's whole frame)
 * fused on the device, the same composed from the host on the same backend, and a reference backend on the same
 * frames in the same run.
 *
 * @param backend    backend measured, as {@code VideoKernels.backend()} names it
 * @param selection  why auto chose it (empty when named)
 * @param host       the machine: CPU model, cores, JVM, vector width
 * @param peak       the measured CPU FP32 peak, or null when not measured
 * @param cases      per frame size
 */
public record BenchReport(String backend, String selection, Host host, Peak peak, List<Case> cases) {

    /** The machine the benchmark ran on. */
    public record Host(String cpuModel, int cores, double cpuMhz, String jvm, int floatLanes, List<String> cpuFlags) {
    }

    /**
     * CPU FP32 peak from a tight Vector API FMA loop: one thread per second of its CPU time, and all
     * threads per second of wall time; and the nominal {@code cores × GHz × lanes × 2 (FMA) × fmaUnits} from
     * /proc/cpuinfo as a cross-check.
     */
    public record Peak(double measuredGflopsOneThread, double measuredGflopsAllThreads, int threads,
                       double nominalGflops, String nominalFormula) {
    }

    /**
     * One frame size: the same clip through each placement.
     *
     * @param clip              the frames (a synthetic clip, see the codec's {@code SyntheticClip})
     * @param sentPerFrame      patches tokenized and sent per frame, mean over the timed frames
     * @param sent              patches sent in each timed frame, in order
     * @param keyframes         keyframes among the timed frames
     * @param fused             the step fused on the device; null when the backend cannot fuse it
     * @param composed          the step composed from the host on the backend (the backend's own step when not fused);
     *                          null when not measured
     * @param reference         the reference backend on the same frames; null when none
     * @param matchesReference  whether every packet of every placement equals the reference's (tokens, positions,
     *                          keyframes); true when there is no reference
     * @param fusedSpeedup      composed ms / fused ms; NaN when either is missing
     * @param referenceSpeedup  reference ms / the backend's best ms; NaN without a reference
     */
    public record Case(int width, int height, int patch, int patches, int stages, int frames, String clip,
                       double sentPerFrame, List<Integer> sent, int keyframes, Run fused, Run composed,
                       Run reference, boolean matchesReference, double fusedSpeedup, double referenceSpeedup) {
    }

    /**
     * One placement's timings, per frame (mean over the timed frames unless said).
     *
     * @param placement    where it ran ({@code fused on opencl:...}, {@code composed on jvm})
     * @param frameMs      the whole encoder step, wall time, mean
     * @param frameMsP50   median
     * @param frameMsP90   90th percentile
     * @param fps          1000 / frameMs
     * @param taskMs       wall time per task of the plan: measure, select (the host's decision), encode
     * @param taskCpuMs    the calling thread's CPU time per task
     * @param deviceMs     device time per stage from the queue's profiling (fused only, else empty): frame-up,
     *                     measure, measures-down, selection-up, patchify, search-t, subtract-t, repaint, packet-down
     * @param deviceBytes  device memory the stream holds alone (its reference picture)
     * @param snapshot     what the stream's exact state costs to save and restore after the timed frames
     */
    public record Run(String placement, double frameMs, double frameMsP50, double frameMsP90, double fps,
                      Map<String, Double> taskMs, Map<String, Double> taskCpuMs, Map<String, Double> deviceMs,
                      long deviceBytes, Snapshot snapshot) {
    }

    /**
     * The cost of a stream's exact state: its snapshot (what the state store keeps, read from host memory only:
     * the token grid, errors at send, anchors, counters; the picture is not in it) and its restore into a new
     * encoder on the same backend (the picture repainted from the token grid and, when fused, uploaded).
     *
     * @param bytes      snapshot size (before the state store's generic header)
     * @param snapshotMs time to take it, mean
     * @param restoreMs  time to restore it into a fresh encoder, mean
     */
    public record Snapshot(int bytes, double snapshotMs, double restoreMs) {
    }

    /** A plain-text summary, one line per case, for terminals ({@link #toJson()} has everything). */
    public String toTable() {
        StringBuilder out = new StringBuilder();
        out.append("backend ").append(backend);
        if (!selection.isEmpty()) {
            out.append(" (").append(selection).append(')');
        }
        out.append('\n');
        out.append(String.format(Locale.ROOT, "%-10s %6s %7s %12s %12s %12s %8s %8s %6s  %s%n", "frame", "sent", "key",
                "fused ms", "composed ms", "reference ms", "x comp", "x ref", "equal", "placement"));
        for (Case c : cases) {
            out.append(String.format(Locale.ROOT, "%-10s %6.1f %7d %12s %12s %12s %8s %8s %6s  %s%n",
                    c.width() + "x" + c.height(), c.sentPerFrame(), c.keyframes(), ms(c.fused()), ms(c.composed()),
                    ms(c.reference()), times(c.fusedSpeedup()), times(c.referenceSpeedup()), c.matchesReference(),
                    c.fused() != null ? c.fused().placement() : c.composed() != null ? c.composed().placement() : ""));
        }
        return out.toString();
    }

    private static String ms(Run run) {
        return run == null ? "-" : String.format(Locale.ROOT, "%.2f", run.frameMs());
    }

    private static String times(double ratio) {
        return Double.isNaN(ratio) ? "-" : String.format(Locale.ROOT, "%.2f", ratio);
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
