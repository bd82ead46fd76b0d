package dev.weir.kernels;

/**
 * How much device memory the streams of a process may hold on an accelerator (settings
 * {@code weir.kernels.device.stream.bytes} and {@code weir.kernels.device.total.bytes}). A stream whose fused
 * {@link PatchStepPlan} would pass either limit is not refused: it runs composed on the {@code jvm} backend
 * instead, which gives the same tokens; the fallback is logged and counted ({@link DeviceUse#fallbacks()}).
 *
 * @param streamBytes most bytes one stream's step may need on the device: its resident reference picture plus
 *                    the working buffers of its frame size
 * @param totalBytes  most bytes every stream of the process may hold on the device together; 0 = three quarters
 *                    of the device's global memory
 */
public record DeviceLimits(long streamBytes, long totalBytes) {

    /** Default per-stream limit: 256 MiB, room for a 3840×2160 stream (≈ 126 MB at P = 16). */
    public static final long DEFAULT_STREAM_BYTES = 256L << 20;

    public DeviceLimits {
        if (streamBytes <= 0 || totalBytes < 0) {
            throw new IllegalArgumentException("device limits must be positive (total 0 = 3/4 of the device): stream "
                    + streamBytes + ", total " + totalBytes);
        }
    }

    /** {@link #DEFAULT_STREAM_BYTES} per stream, three quarters of the device in all. */
    public static DeviceLimits defaults() {
        return new DeviceLimits(DEFAULT_STREAM_BYTES, 0);
    }

    /** The total limit on a device of {@code globalMemBytes}. */
    public long totalOn(long globalMemBytes) {
        return totalBytes > 0 ? totalBytes : globalMemBytes / 4 * 3;
    }
}
