package dev.weir.kernels;

import dev.weir.kernels.internals.NoveltyRanking;

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
 */
public final class FrameStepPlan implements AutoCloseable {

    private final FrameStepSpec spec;
    private final int n;
    private final int d;
    private final int k;
    private final short[] residuals;
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
    private byte[][] frames = new byte[0][];

    private FrameStepPlan(VideoKernels kernels, FrameStepSpec spec) {
        this.spec = spec;
        FrameGeometry g = spec.geometry();
        this.n = g.patches();
        this.d = g.patchDim();
        this.k = spec.keptPerFrame();
        int batch = spec.batch();
        this.residuals = new short[batch * n * d];
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
        this.frameResiduals = batch == 1 ? residuals : new short[n * d];
        this.plan = new TaskGraph("frame-step " + g.width() + "x" + g.height() + "/" + g.patch() + " x" + batch)
                .persistent("codebook", spec.codebook())
                .persistent("reference", 2L * reference.length)
                .perExecution("frames", (long) batch * g.rgbBytes())
                .perExecution("dcCodes", 4L * dcCodes.length)
                .perExecution("keptPatches", 4L * keptPatches.length)
                .perExecution("tokens", 4L * tokens.length)
                .task("patchify", this::patchify)
                .task("novelty-topk", this::noveltyTopK)
                .task("nearest", this::nearest)
                .build(kernels);
    }

    /** Plans the frame step of {@code spec} on {@code kernels} (which stays owned by the caller). */
    public static FrameStepPlan create(VideoKernels kernels, FrameStepSpec spec) {
        return new FrameStepPlan(Objects.requireNonNull(kernels, "kernels"), Objects.requireNonNull(spec, "spec"));
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
    }

    public FrameStepSpec spec() {
        return spec;
    }

    /** The underlying plan, for its per-task timings and transfer accounting. */
    public ExecutionPlan plan() {
        return plan;
    }

    /** Residuals of the last execution, frame-major (frame f, patch i at {@code (f·n + i)·d}). */
    public short[] residuals() {
        return residuals;
    }

    @Override
    public void close() {
        plan.close();
    }

    private void patchify(VideoKernels kernels) {
        FrameGeometry g = spec.geometry();
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
