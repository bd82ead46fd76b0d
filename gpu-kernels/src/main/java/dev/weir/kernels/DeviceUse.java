package dev.weir.kernels;

/**
 * How one kernels instance (one processor's) uses its accelerator, for metrics: plain counters, no metrics
 * library. All zero on the CPU backends.
 *
 * @param streams    streams whose fused {@link PatchStepPlan} holds state on the device now
 * @param bytes      device bytes those streams and their working buffers hold
 * @param fallbacks  streams that fell back to the {@code jvm} backend at a {@link DeviceLimits} limit since the
 *                   kernels were opened
 */
public record DeviceUse(int streams, long bytes, long fallbacks) {

    /** No device. */
    public static final DeviceUse NONE = new DeviceUse(0, 0, 0);
}
