package dev.weir.kernels.internals;

import dev.weir.kernels.PatchMeasures;
import dev.weir.kernels.PatchSelection;
import dev.weir.kernels.PatchStepResult;

import java.util.Map;

/**
 * One stream's patch-VQ frame step ({@link dev.weir.kernels.PatchStepPlan}), phase by phase: {@link #measure}
 * (the frame against the reference), then, after the host's decision, {@link #encode} (tokenize, repaint the
 * reference, error at send). Composed from the host ({@link HostPatchStep}) or fused on a device
 * ({@link OpenClPatchStep}); both give identical results. Not thread-safe.
 */
public interface PatchStep extends AutoCloseable {

    /** Phase 1: per-patch squared error against the reference and cell means of {@code frame}. */
    PatchMeasures measure(byte[] frame);

    /**
     * Phase 2, on the frame of the last {@link #measure}: tokenizes the searched patches in every stage, paints
     * the sent ones onto the reference and measures their error at send.
     *
     * @param sentRows for each sent position, its row in {@code selection.searched()}
     */
    PatchStepResult encode(PatchSelection selection, int[] sentRows);

    /** Replaces the reference picture (RGB24, the grid's size). */
    void reference(byte[] picture);

    /** A copy of the reference picture. */
    byte[] reference();

    /** Device time of each stage in the last execution, in nanoseconds; empty when composed from the host. */
    Map<String, Long> lastStageDeviceNanos();

    /** Where it runs: {@code composed on jvm}, {@code fused on opencl:...}. */
    String placement();

    /** Device memory this stream holds alone (its resident state); 0 on the host. */
    long deviceBytes();

    @Override
    void close();
}
