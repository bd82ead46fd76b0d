package dev.weir.kernels;

/**
 * A kernel backend was asked for by name but cannot run here (for example {@code opencl} with no
 * OpenCL runtime or device). The message says what is missing and how to fix or avoid it.
 */
public final class KernelUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public KernelUnavailableException(String message) {
        super(message);
    }

    public KernelUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
