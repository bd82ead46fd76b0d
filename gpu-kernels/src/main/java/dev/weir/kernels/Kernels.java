package dev.weir.kernels;

import dev.weir.kernels.internals.JvmVideoKernels;
import dev.weir.kernels.internals.OpenClVideoKernels;
import dev.weir.kernels.internals.ScalarVideoKernels;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Entry point of the kernel layer: picks a backend by name.
 *
 * <ul>
 *   <li>{@code jvm-scalar}: the plain-loop reference every other backend is tested against;</li>
 *   <li>{@code jvm}: the Java Vector API on the CPU;</li>
 *   <li>{@code opencl}: OpenCL C 1.2 through JOCL, on the device named by the environment variable
 *       {@code WEIR_OPENCL_DEVICE} (a substring of the device name), else the first GPU, else any device;</li>
 *   <li>{@code auto}: {@code opencl} when an OpenCL GPU is present, else {@code jvm}; the reason is logged
 *       and available from {@link VideoKernels#selectionReason()}.</li>
 * </ul>
 */
public final class Kernels {

    private static final Logger LOG = LoggerFactory.getLogger(Kernels.class);
    private static final AtomicReference<String> LAST_CHOICE = new AtomicReference<>();

    private Kernels() {
    }

    /**
     * Opens video kernels on the named backend ({@code auto}, {@code jvm}, {@code jvm-scalar}, {@code opencl}).
     *
     * @throws KernelUnavailableException when {@code opencl} is asked for and no OpenCL device can be opened
     * @throws IllegalArgumentException   for an unknown backend name
     */
    public static VideoKernels video(String backend) {
        return video(backend, DeviceLimits.defaults());
    }

    /**
     * As {@link #video(String)}, with the device memory its streams may hold on an accelerator ({@code opencl},
     * or {@code auto} when it picks a GPU); a stream beyond the limits runs on {@code jvm} ({@link PatchStepPlan}).
     */
    public static VideoKernels video(String backend, DeviceLimits limits) {
        return switch (backend.toLowerCase(Locale.ROOT)) {
            case "jvm-scalar", "scalar" -> new ScalarVideoKernels();
            case "jvm" -> new JvmVideoKernels();
            case "opencl" -> OpenClVideoKernels.open(System.getenv("WEIR_OPENCL_DEVICE"), false, limits);
            case "auto" -> auto(limits);
            default -> throw new IllegalArgumentException("unknown kernel backend: " + backend
                    + " (expected auto, jvm, jvm-scalar or opencl)");
        };
    }

    /**
     * Opens the vector-quantization kernels alone (what the audio codec and codebook training use) on the
     * named backend; the same backends as {@link #video}.
     */
    public static VectorKernels vector(String backend) {
        return video(backend);
    }

    private static VideoKernels auto(DeviceLimits limits) {
        String reason;
        try {
            VideoKernels gpu = OpenClVideoKernels.open(System.getenv("WEIR_OPENCL_DEVICE"), true, limits);
            logChoice("kernel backend auto: " + gpu.backend() + " (an OpenCL GPU is present)");
            return gpu;
        } catch (KernelUnavailableException | LinkageError e) {
            reason = "no OpenCL GPU: " + e.getMessage();
        }
        logChoice("kernel backend auto: jvm (" + reason + ")");
        return new JvmVideoKernels(reason);
    }

    /** The choice at INFO the first time (and whenever it changes), at DEBUG for every further stream. */
    private static void logChoice(String choice) {
        if (!choice.equals(LAST_CHOICE.getAndSet(choice))) {
            LOG.info(choice);
        } else {
            LOG.debug(choice);
        }
    }
}
