package dev.weir.kernels;

/**
 * The device failed while a kernel ran (a lost GPU, a driver error, an OpenCL call that returned an error):
 * not the fault of the data it was given. Callers should retry on a fresh device or fail the task, never
 * blame the record. Backends wrap their runtime's own exceptions (JOCL's {@code CLException}) in this one,
 * so no caller needs to know which backend ran.
 */
public final class KernelDeviceException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public KernelDeviceException(String message, Throwable cause) {
        super(message, cause);
    }
}
