package dev.weir.kernels;

import java.util.Objects;

/**
 * A buffer declared in a {@link TaskGraph}: a name, where it lives between executions, and its size.
 * Declaring buffers is what lets a plan account for transfers and keep persistent data on the device.
 *
 * @param name      unique within its graph
 * @param residency persistent on the device, or moved every execution
 * @param bytes     size in bytes
 */
public record DeviceBuffer(String name, Residency residency, long bytes) {

    public DeviceBuffer {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(residency, "residency");
        if (bytes < 0) {
            throw new IllegalArgumentException("buffer " + name + " has negative size " + bytes);
        }
    }
}
