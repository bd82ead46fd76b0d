package dev.weir.kernels.internals;

/**
 * A stream's fused patch step would pass a device memory limit ({@link dev.weir.kernels.DeviceLimits}); the
 * stream runs on the {@code jvm} backend instead.
 */
public final class DeviceMemoryException extends RuntimeException {

    public DeviceMemoryException(String message) {
        super(message);
    }
}
