package dev.weir.kernels;

import dev.weir.kernels.internals.DeviceMemoryException;
import dev.weir.kernels.internals.FusedPatchSteps;
import dev.weir.kernels.internals.HostPatchStep;
import dev.weir.kernels.internals.JvmVideoKernels;
import dev.weir.kernels.internals.PatchStep;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.Objects;

/**
 * One stream's patch-VQ frame step, the step Weir's video encoder runs on every frame, as an
 * {@link ExecutionPlan} of three tasks:
 * <ol>
 *   <li>{@code measure}: per patch, the squared error of the frame against the stream's reference picture (what
 *       the decoder shows: {@link VideoKernels#patchSquaredError}) and the cell means
 *       ({@link VideoKernels#cellMeans});</li>
 *   <li>{@code select}: on the host, the codec's own rules choose from those measures which patches are tokenized
 *       and which are sent ({@link PatchSelector}; for video the cacher, keyframes, budget and novelty pruner);</li>
 *   <li>{@code encode}: {@link VideoKernels#patchify} of the searched patches, per stage {@link VideoKernels#nearest}
 *       and {@link VideoKernels#subtract} (residual VQ), the sent patches painted onto the reference exactly as
 *       the decoder paints them ({@link VideoKernels#reconstruct}) and their error at send.</li>
 * </ol>
 * Two placements, identical results: <b>fused</b> ({@link #create} on a backend that can, today OpenCL) runs both
 * device phases on the device, where the reference picture stays between frames: the frame goes up, the small
 * per-patch measures (n·16 bytes) and the packet come down, and the working buffers are shared by the streams of
 * one shape; <b>composed</b> ({@link #composed}, the CPU backends, and the fallback) calls the kernels one by one
 * from the host. A stream the device cannot take within its {@link DeviceLimits} runs composed on {@code jvm}
 * (logged, and counted in {@link VideoKernels#deviceUse()}).
 *
 * <p>One plan per stream, reused for every frame of its shape; not thread-safe. The stage codebooks are
 * {@link Residency#PERSISTENT}.
 */
public final class PatchStepPlan implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PatchStepPlan.class);

    private final PatchStepSpec spec;
    private final PatchStep step;
    private final VideoKernels kernels;
    /** The fallback backend this plan opened (and closes), or null. */
    private final VideoKernels owned;
    private final boolean fused;
    private final ExecutionPlan plan;
    private byte[] frame;
    private PatchSelector selector;
    private PatchMeasures measures;
    private PatchSelection selection;
    private int[] sentRows;
    private PatchStepResult result;

    private PatchStepPlan(VideoKernels kernels, VideoKernels owned, PatchStepSpec spec, PatchStep step, boolean fused) {
        this.spec = spec;
        this.step = step;
        this.kernels = kernels;
        this.owned = owned;
        this.fused = fused;
        try {
            this.plan = graph().build(kernels);
        } catch (RuntimeException e) {
            closeStep();
            throw e;
        }
    }

    /**
     * Plans a stream's step of {@code spec} on {@code kernels} (which stay owned by the caller): fused on the device
     * when the backend can, else composed from the host; {@link #placement()} says which and why.
     */
    public static PatchStepPlan create(VideoKernels kernels, PatchStepSpec spec) {
        Objects.requireNonNull(kernels, "kernels");
        Objects.requireNonNull(spec, "spec");
        if (kernels instanceof FusedPatchSteps fusing) {
            try {
                return new PatchStepPlan(kernels, null, spec, fusing.openPatchStep(spec), true);
            } catch (DeviceMemoryException e) {
                LOG.warn("a {}x{} stream runs on jvm instead of {}: {}", spec.grid().width(), spec.grid().height(),
                        kernels.backend(), e.getMessage());
                VideoKernels jvm = new JvmVideoKernels("fallback from " + kernels.backend() + ": " + e.getMessage());
                return new PatchStepPlan(jvm, jvm, spec, new Fallback(new HostPatchStep(jvm, spec), kernels.backend(),
                        e.getMessage()), false);
            } catch (KernelUnavailableException e) {
                LOG.info("patch step composed from the host on {}: {}", kernels.backend(), e.getMessage());
            }
        }
        return composed(kernels, spec);
    }

    /** Plans the step composed from the host: each kernel of {@code kernels} called in turn. */
    public static PatchStepPlan composed(VideoKernels kernels, PatchStepSpec spec) {
        Objects.requireNonNull(kernels, "kernels");
        Objects.requireNonNull(spec, "spec");
        return new PatchStepPlan(kernels, null, spec, new HostPatchStep(kernels, spec), false);
    }

    private TaskGraph graph() {
        PatchGrid g = spec.grid();
        int n = g.patches();
        int stages = spec.stages().size();
        TaskGraph graph = new TaskGraph("patch-step " + g.width() + "x" + g.height() + "/" + g.patch()
                + (fused ? " fused" : ""));
        for (int t = 0; t < stages; t++) {
            graph.persistent("codebook-" + t, spec.stages().get(t));
        }
        graph.persistent("reference", g.rgbBytes())
                .perExecution("frame", g.rgbBytes())
                .perExecution("measures", (8L + VideoKernels.CELL_MEANS) * n)
                .perExecution("selection", 8L * n)
                .perExecution("packet", 4L * (4 + stages) * n);
        if (fused) {
            graph.deviceOnly("residual-rows", 2L * n * g.patchDim())
                    .deviceOnly("stage-ids", 4L * stages * n);
        }
        return graph
                .task("measure", k -> measures = step.measure(frame))
                .task("select", k -> select())
                .task("encode", k -> result = step.encode(selection, sentRows));
    }

    private void select() {
        selection = Objects.requireNonNull(selector.select(measures), "the selector chose nothing (null)");
        sentRows = selection.sentRows(spec.patches());
    }

    /**
     * Runs the step on one frame ({@code grid.rgbBytes()} RGB24 bytes), asking {@code selector} in the middle.
     *
     * @throws IllegalArgumentException when the frame has the wrong size or the selection is not valid
     */
    public PatchStepResult execute(byte[] rgb, PatchSelector selector) {
        Objects.requireNonNull(selector, "selector");
        if (rgb == null || rgb.length != spec.grid().rgbBytes()) {
            throw new IllegalArgumentException("frame has " + (rgb == null ? "no" : rgb.length) + " bytes, expected "
                    + spec.grid().rgbBytes() + " (RGB24 " + spec.grid().width() + "x" + spec.grid().height() + ")");
        }
        this.frame = rgb;
        this.selector = selector;
        try {
            plan.execute();
            return result;
        } finally {
            this.frame = null;
            this.selector = null;
            this.measures = null;
            this.selection = null;
        }
    }

    /** Replaces the reference picture (for example one repainted from a snapshot); a new plan's is black. */
    public void reference(byte[] picture) {
        if (picture.length != spec.grid().rgbBytes()) {
            throw new IllegalArgumentException("reference has " + picture.length + " bytes, expected " + spec.grid().rgbBytes());
        }
        step.reference(picture);
    }

    /** A copy of the reference picture: what the decoder shows after the last sent patches (from the device when fused). */
    public byte[] reference() {
        return step.reference();
    }

    /** True when the step runs on the device. */
    public boolean fused() {
        return fused;
    }

    /** Where the step runs and, when it is not fused on the device it was asked for, why. */
    public String placement() {
        return step.placement();
    }

    /**
     * Device time of each stage of the last execution in nanoseconds, from the device's own profiling: for example
     * {@code frame-up, measure, measures-down, selection-up, patchify, search-0, subtract-0, search-1, repaint,
     * packet-down}; empty when composed (see {@link ExecutionPlan#lastTaskNanos()} then).
     */
    public Map<String, Long> lastDeviceNanos() {
        return step.lastStageDeviceNanos();
    }

    /** Device bytes this stream holds alone (its reference picture); 0 when composed. */
    public long deviceBytes() {
        return step.deviceBytes();
    }

    /** The kernels the step computes on: the caller's, or the {@code jvm} fallback. */
    public VideoKernels kernels() {
        return kernels;
    }

    public PatchStepSpec spec() {
        return spec;
    }

    /** The underlying plan: its tasks' wall and CPU times, the buffers it declares. */
    public ExecutionPlan plan() {
        return plan;
    }

    @Override
    public void close() {
        try {
            plan.close();
        } finally {
            closeStep();
        }
    }

    private void closeStep() {
        try {
            step.close();
        } finally {
            if (owned != null) {
                owned.close();
            }
        }
    }

    /** The host step of a stream the device refused, saying so in its placement. */
    private record Fallback(PatchStep step, String refusedBy, String why) implements PatchStep {

        @Override
        public PatchMeasures measure(byte[] frame) {
            return step.measure(frame);
        }

        @Override
        public PatchStepResult encode(PatchSelection selection, int[] sentRows) {
            return step.encode(selection, sentRows);
        }

        @Override
        public void reference(byte[] picture) {
            step.reference(picture);
        }

        @Override
        public byte[] reference() {
            return step.reference();
        }

        @Override
        public Map<String, Long> lastStageDeviceNanos() {
            return Map.of();
        }

        @Override
        public String placement() {
            return step.placement() + " (fallback from " + refusedBy + ": " + why + ")";
        }

        @Override
        public long deviceBytes() {
            return 0;
        }

        @Override
        public void close() {
            step.close();
        }
    }
}
