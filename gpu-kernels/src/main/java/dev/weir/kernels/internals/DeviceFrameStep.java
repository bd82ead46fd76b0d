package dev.weir.kernels.internals;

import java.util.Map;

/**
 * A frame step ({@link dev.weir.kernels.FrameStepPlan}) that runs whole on one device: frames go up, DC
 * codes, kept patch indices and tokens come down, and residuals, novelty scores and kept rows stay on the
 * device in between. The stages are the plan's tasks and run in this order on every execution:
 * {@link #upload}, {@link #patchify}, {@link #noveltyTopK}, {@link #nearest}, {@link #download}. Stages may
 * only enqueue work; {@link #download} waits for it. Results equal the host-composed frame step's exactly.
 * Not thread-safe.
 */
public interface DeviceFrameStep extends AutoCloseable {

    /** Copies 1..batch frames to the device (sizes already checked by the plan). */
    void upload(byte[][] frames);

    /** Patchify + DC removal of every uploaded frame. */
    void patchify();

    /** Novelty against the reference, top-k, compaction of the kept rows; advances the reference when tracking. */
    void noveltyTopK();

    /** Nearest codebook entry of every kept row of the batch. */
    void nearest();

    /** Waits for the device and copies the outputs of the uploaded frames into the plan's arrays. */
    void download(int[] dcCodes, int[] keptPatches, int[] tokens);

    /** Sets the novelty reference (n·d residuals). */
    void reference(short[] patchResiduals);

    /** Copies the residuals of the last execution's frames into {@code out}, frame-major. */
    void residuals(short[] out);

    /** Device time of each stage in the last execution, in nanoseconds (empty when the device does not say). */
    Map<String, Long> lastStageDeviceNanos();

    /** Where the step runs, for example {@code opencl:NVIDIA H100 80GB HBM3}. */
    String device();

    @Override
    void close();
}
