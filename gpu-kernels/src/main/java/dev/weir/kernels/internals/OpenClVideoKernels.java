package dev.weir.kernels.internals;

import dev.weir.kernels.KernelUnavailableException;
import dev.weir.kernels.VideoKernels;

/** The {@code opencl} backend (in progress). */
public final class OpenClVideoKernels {

    private OpenClVideoKernels() {
    }

    /**
     * Opens the backend on the device whose name contains {@code deviceFilter} (null: any), GPUs first.
     *
     * @param gpuOnly when true, only a GPU device is accepted (auto selection)
     */
    public static VideoKernels open(String deviceFilter, boolean gpuOnly) {
        throw new KernelUnavailableException("the opencl backend is not built yet");
    }
}
