package dev.weir.kernels;

import dev.weir.kernels.internals.ScalarVideoKernels;

import java.util.Locale;

/**
 * Entry point of the kernel layer: picks a backend by name.
 *
 * <p>{@code jvm-scalar} is the plain-loop reference every other backend is tested against.
 */
public final class Kernels {

    private Kernels() {
    }

    /** Opens video kernels on the named backend ({@code auto}, {@code jvm}, {@code jvm-scalar}, {@code opencl}). */
    public static VideoKernels video(String backend) {
        return switch (backend.toLowerCase(Locale.ROOT)) {
            case "jvm-scalar", "scalar", "auto", "jvm" -> new ScalarVideoKernels();
            default -> throw new IllegalArgumentException("unknown kernel backend: " + backend
                    + " (expected auto, jvm, jvm-scalar or opencl)");
        };
    }
}
