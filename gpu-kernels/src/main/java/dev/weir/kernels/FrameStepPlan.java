package dev.weir.kernels;

import dev.weir.kernels.internals.DeviceFrameStep;
import dev.weir.kernels.internals.FusedFrameSteps;
import dev.weir.kernels.internals.NoveltyRanking;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.Objects;

/**
 * The per-frame kernel work of a video stream as an {@link ExecutionPlan}, the same work as
 * {@code gpu-kernels/bench/torch_ref.py}:
 * <ol>
 *   <li>patchify + DC (mean) removal ({@link VideoKernels#patchify});</li>
 *   <li>novelty of each patch, 1 − cos(patch, reference patch), from exact integer dot products and
 *       norms ({@link VideoKernels#cosineTerms}), after the STC paper's novelty pruning;</li>
 *   <li>keep the k = floor(keep·n) most novel patches (ties to the lower patch index);</li>
 *   <li>nearest codebook entry of each kept patch ({@link VideoKernels#nearest}), one search for the
 *       whole batch.</li>
 * </ol>
 * The codebook and the reference are {@link Residency#PERSISTENT}; frames, DC codes, kept patch indices
 * and tokens move every execution. Build one plan per stream shape and reuse it; not thread-safe.
 *
 * <p>Two placements, same results: <b>fused</b> ({@link #create} on a backend that can, today OpenCL with
 * double precision) runs the whole step on the device, so residuals, novelty scores and kept rows stay there
 * ({@link Residency#DEVICE_ONLY}) and the tasks are upload, patchify, novelty-topk, nearest, download;
 * <b>composed</b> ({@link #composed}, and the fallback) calls the backend's kernels one by one from the host.
 */
public final class FrameStepPlan implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FrameStepPlan.class);

    private final FrameStepSpec spec;
    private final int n;
    private final int d;
    private final int k;
    /** Host residuals: the working array when composed; when fused, allocated on the first {@link #residuals()} call. */
    private short[] residuals;
    private final int[] dcCodes;
    private final short[] reference;
    private final long[] dot;
    private final long[] norm;
    private final long[] referenceNorm;
    private final int[] keptPatches;
    private final int[] rows;
    private final int[] tokens;
    private final NoveltyRanking ranking;
    private final int[] frameCodes;
    private final short[] frameResiduals;
    private final ExecutionPlan plan;
    /** The device step when fused, else null. */
    private final DeviceFrameStep device;
    private final String placement;
    private byte[][] frames = new byte[0][];

    private FrameStepPlan(VideoKernels kernels, FrameStepSpec spec, DeviceFrameStep device, String placement) {
        this.device = device;
        this.placement = placement;
        this.spec = spec;
        PatchGrid g = spec.geometry();
        this.n = g.patches();
        this.d = g.patchDim();
        this.k = spec.keptPerFrame();
        int batch = spec.batch();
        this.residuals = device == null ? new short[batch * n * d] : new short[0];
        this.dcCodes = new int[batch * n * 3];
        this.reference = new short[n * d];
        this.dot = new long[n];
        this.norm = new long[n];
        this.referenceNorm = new long[n];
        this.keptPatches = new int[batch * k];
        this.rows = new int[batch * k];
        this.tokens = new int[batch * k];
        this.ranking = new NoveltyRanking(n);
        this.frameCodes = new int[n * 3];
        this.frameResiduals = batch == 1 || device != null ? residuals : new short[n * d];
        String name = "frame-step " + g.width() + "x" + g.height() + "/" + g.patch() + " x" + batch;
        this.plan = device != null ? fusedGraph(name).build(kernels) : transferredBuffers(new TaskGraph(name))
                .task("patchify", this::patchify)
                .task("novelty-topk", this::noveltyTopK)
                .task("nearest", this::nearest)
                .build(kernels);
    }

    /**
     * Plans the frame step of {@code spec} on {@code kernels} (which stays owned by the caller): fused on the
     * device when the backend can run it so, else composed from the host; {@link #placement()} says which.
     */
    public static FrameStepPlan create(VideoKernels kernels, FrameStepSpec spec) {
        Objects.requireNonNull(kernels, "kernels");
        Objects.requireNonNull(spec, "spec");
        if (kernels instanceof FusedFrameSteps fusing) {
            try {
                DeviceFrameStep step = fusing.openFrameStep(spec);
                try {
                    return new FrameStepPlan(kernels, spec, step, "fused on " + step.device());
                } catch (RuntimeException e) {
                    step.close();
                    throw e;
                }
            } catch (KernelUnavailableException e) {
                LOG.info("frame step composed from the host on {}: {}", kernels.backend(), e.getMessage());
                return new FrameStepPlan(kernels, spec, null, "composed on " + kernels.backend() + " (" + e.getMessage() + ")");
            }
        }
        return composed(kernels, spec);
    }

    /** Plans the frame step composed from the host: each kernel of {@code kernels} called in turn. */
    public static FrameStepPlan composed(VideoKernels kernels, FrameStepSpec spec) {
        Objects.requireNonNull(kernels, "kernels");
        return new FrameStepPlan(kernels, Objects.requireNonNull(spec, "spec"), null, "composed on " + kernels.backend());
    }

    /** The buffers both placements declare: persistent codebook and reference, frames in, results out. */
    private TaskGraph transferredBuffers(TaskGraph graph) {
        return graph
                .persistent("codebook", spec.codebook())
                .persistent("reference", 2L * reference.length)
                .perExecution("frames", (long) spec.batch() * spec.geometry().rgbBytes())
                .perExecution("dcCodes", 4L * dcCodes.length)
                .perExecution("keptPatches", 4L * keptPatches.length)
                .perExecution("tokens", 4L * tokens.length);
    }

    private TaskGraph fusedGraph(String name) {
        int batch = spec.batch();
        return transferredBuffers(new TaskGraph(name + " fused"))
                .deviceOnly("residuals", 2L * batch * n * d)
                .deviceOnly("novelty", (8L + 4L) * batch * n)
                .deviceOnly("keptRows", (4L + 2L * d) * batch * k)
                .task("upload", kernels -> device.upload(frames))
                .task("patchify", kernels -> device.patchify())
                .task("novelty-topk", kernels -> device.noveltyTopK())
                .task("nearest", kernels -> device.nearest())
                .task("download", kernels -> device.download(dcCodes, keptPatches, tokens));
    }

    /**
     * Runs the frame step over 1..batch frames, each {@code geometry.rgbBytes()} RGB24 bytes.
     *
     * @throws IllegalArgumentException when the batch is empty or too large, or a frame has the wrong size
     */
    public FrameStepResult execute(byte[]... batch) {
        if (batch.length < 1 || batch.length > spec.batch()) {
            throw new IllegalArgumentException("expected 1.." + spec.batch() + " frames per execution, got " + batch.length);
        }
        int expected = spec.geometry().rgbBytes();
        for (int f = 0; f < batch.length; f++) {
            if (batch[f] == null || batch[f].length != expected) {
                throw new IllegalArgumentException("frame " + f + " has " + (batch[f] == null ? "no" : batch[f].length)
                        + " bytes, expected " + expected + " (RGB24 " + spec.geometry().width() + "x"
                        + spec.geometry().height() + ")");
            }
        }
        this.frames = batch;
        plan.execute();
        return new FrameStepResult(batch.length, n, k, dcCodes, keptPatches, tokens);
    }

    /** Sets the novelty reference: n·d mean-removed patch components (for example a previous frame's residuals). */
    public void reference(short[] patchResiduals) {
        if (patchResiduals.length != reference.length) {
            throw new IllegalArgumentException("reference has " + patchResiduals.length + " components, expected "
                    + reference.length + " (n·d = " + n + "·" + d + ")");
        }
        System.arraycopy(patchResiduals, 0, reference, 0, reference.length);
        if (device != null) {
            device.reference(reference);
        }
    }

    /** True when the whole step runs on the device ({@link #create} on a backend that can). */
    public boolean fused() {
        return device != null;
    }

    /** Where the step runs and, when it could not be fused, why: for logs and benchmark reports. */
    public String placement() {
        return placement;
    }

    /**
     * Device time of each task in the last execution, in nanoseconds, as the device's own profiling
     * measured it; empty when composed from the host (see {@link ExecutionPlan#lastTaskNanos()} then).
     * When fused, the plan's wall times per task are mostly enqueue times and the wait is in "download".
     */
    public Map<String, Long> lastDeviceNanos() {
        return device == null ? Map.of() : device.lastStageDeviceNanos();
    }

    public FrameStepSpec spec() {
        return spec;
    }

    /** The underlying plan, for its per-task timings and transfer accounting. */
    public ExecutionPlan plan() {
        return plan;
    }

    /** Residuals of the last execution, frame-major (frame f, patch i at {@code (f·n + i)·d}); copied from the device when fused. */
    public short[] residuals() {
        if (device != null) {
            if (residuals.length == 0) {
                residuals = new short[spec.batch() * n * d];
            }
            if (frames.length > 0) {
                device.residuals(residuals);
            }
        }
        return residuals;
    }

    @Override
    public void close() {
        try {
            plan.close();
        } finally {
            if (device != null) {
                device.close();
            }
        }
    }

    private void patchify(VideoKernels kernels) {
        PatchGrid g = spec.geometry();
        for (int f = 0; f < frames.length; f++) {
            if (frames.length == 1) {
                kernels.patchify(frames[f], g, spec.dcBits(), frameCodes, residuals);
            } else {
                kernels.patchify(frames[f], g, spec.dcBits(), frameCodes, frameResiduals);
                System.arraycopy(frameResiduals, 0, residuals, f * n * d, n * d);
            }
            System.arraycopy(frameCodes, 0, dcCodes, f * n * 3, n * 3);
        }
    }

    private void noveltyTopK(VideoKernels kernels) {
        for (int f = 0; f < frames.length; f++) {
            // The reference of frame f is the previous frame of the batch when tracking, else the plan's reference.
            boolean previousInBatch = spec.trackReference() && f > 0;
            short[] ref = previousInBatch ? residuals : reference;
            int refOffset = previousInBatch ? (f - 1) * n * d : 0;
            kernels.cosineTerms(residuals, f * n * d, ref, refOffset, n, d, dot, norm, referenceNorm);
            ranking.mostNovel(dot, norm, referenceNorm, k, keptPatches, f * k);
            for (int r = 0; r < k; r++) {
                rows[f * k + r] = f * n + keptPatches[f * k + r];
            }
        }
        if (spec.trackReference()) {
            System.arraycopy(residuals, (frames.length - 1) * n * d, reference, 0, n * d);
        }
    }

    private void nearest(VideoKernels kernels) {
        kernels.nearest(residuals, rows, frames.length * k, spec.codebook(), tokens);
    }
}
