package dev.weir.kernels.internals;

import dev.weir.kernels.PatchGrid;
import dev.weir.kernels.PatchMeasures;
import dev.weir.kernels.PatchSelection;
import dev.weir.kernels.PatchStepResult;
import dev.weir.kernels.PatchStepSpec;
import dev.weir.kernels.ShapeCodebook;
import dev.weir.kernels.VideoKernels;

import java.util.Map;

/**
 * The patch step composed from the host: each phase calls the backend's kernels one by one
 * ({@code patchSquaredError}, {@code cellMeans}; {@code patchify}, per stage {@code nearest} and
 * {@code subtract}, {@code reconstruct}, {@code patchSquaredError}), with the reference picture in host memory.
 * On {@code jvm} and {@code jvm-scalar} this is the step; on a device backend it is the reference the fused step
 * is measured against (every kernel a round trip).
 */
public final class HostPatchStep implements PatchStep {

    private final VideoKernels kernels;
    private final PatchGrid g;
    private final int dcBits;
    private final ShapeCodebook[] stages;
    private final byte[] picture;
    private final long[] squaredError;
    private final long[] errorAfter;
    private final byte[] cells;
    private final int[] dcCodes;
    private final short[] residuals;
    private byte[] frame;

    public HostPatchStep(VideoKernels kernels, PatchStepSpec spec) {
        this.kernels = kernels;
        this.g = spec.grid();
        this.dcBits = spec.dcBits();
        this.stages = spec.stages().toArray(ShapeCodebook[]::new);
        int n = g.patches();
        this.picture = new byte[g.rgbBytes()];
        this.squaredError = new long[n];
        this.errorAfter = new long[n];
        this.cells = new byte[n * VideoKernels.CELL_MEANS];
        this.dcCodes = new int[3 * n];
        this.residuals = new short[n * g.patchDim()];
    }

    @Override
    public PatchMeasures measure(byte[] frame) {
        this.frame = frame;
        kernels.patchSquaredError(frame, picture, g, squaredError);
        kernels.cellMeans(frame, g, cells);
        return new PatchMeasures(g.patches(), squaredError, cells);
    }

    @Override
    public PatchStepResult encode(PatchSelection selection, int[] sentRows) {
        int[] searched = selection.searched();
        int[] sent = selection.sent();
        int m = searched.length;
        int k = sent.length;
        int[] found = new int[stages.length * m];
        if (m > 0) {
            kernels.patchify(frame, g, dcBits, dcCodes, residuals);
            int[] stageIds = new int[m];
            for (int t = 0; t < stages.length; t++) {
                kernels.nearest(residuals, searched, m, stages[t], stageIds);
                if (t + 1 < stages.length) {
                    kernels.subtract(residuals, searched, m, stages[t], stageIds);
                }
                System.arraycopy(stageIds, 0, found, t * m, m);
            }
        }
        int[] dc = new int[3 * k];
        int[] shapes = new int[stages.length * k];
        for (int r = 0; r < k; r++) {
            System.arraycopy(dcCodes, 3 * sent[r], dc, 3 * r, 3);
            for (int t = 0; t < stages.length; t++) {
                shapes[t * k + r] = found[t * m + sentRows[r]];
            }
        }
        int[] errorAtSend = new int[k];
        if (k > 0) {
            kernels.reconstruct(picture, g, dcBits, sent, k, dc, shapes, stages);
            kernels.patchSquaredError(frame, picture, g, errorAfter);
            for (int r = 0; r < k; r++) {
                errorAtSend[r] = (int) errorAfter[sent[r]];
            }
        }
        return new PatchStepResult(sent.clone(), dc, shapes, errorAtSend);
    }

    @Override
    public void reference(byte[] rgb) {
        System.arraycopy(rgb, 0, picture, 0, picture.length);
    }

    @Override
    public byte[] reference() {
        return picture.clone();
    }

    @Override
    public Map<String, Long> lastStageDeviceNanos() {
        return Map.of();
    }

    @Override
    public String placement() {
        return "composed on " + kernels.backend();
    }

    @Override
    public long deviceBytes() {
        return 0;
    }

    @Override
    public void close() {
    }
}
