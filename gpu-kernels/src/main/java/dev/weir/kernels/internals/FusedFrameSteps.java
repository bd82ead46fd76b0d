package dev.weir.kernels.internals;

import dev.weir.kernels.FrameStepSpec;
import dev.weir.kernels.KernelUnavailableException;

/** A backend that can run a whole frame step on its device ({@link DeviceFrameStep}). */
public interface FusedFrameSteps {

    /**
     * Opens a device frame step for {@code spec}; its codebook must be retained on this backend while the
     * step runs.
     *
     * @throws KernelUnavailableException when this device cannot run it (the message says why)
     */
    DeviceFrameStep openFrameStep(FrameStepSpec spec);
}
