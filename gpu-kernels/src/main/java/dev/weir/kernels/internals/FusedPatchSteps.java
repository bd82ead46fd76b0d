package dev.weir.kernels.internals;

import dev.weir.kernels.KernelUnavailableException;
import dev.weir.kernels.PatchStepSpec;

/** A backend that can run a stream's whole patch step on its device ({@link PatchStep}). */
public interface FusedPatchSteps {

    /**
     * Opens a stream's patch step for {@code spec} on the device, its reference picture black.
     *
     * @throws DeviceMemoryException      when the stream would pass a {@link dev.weir.kernels.DeviceLimits} limit
     *                                    (counted as a fallback)
     * @throws KernelUnavailableException when this device cannot run it (the message says why)
     */
    PatchStep openPatchStep(PatchStepSpec spec);
}
