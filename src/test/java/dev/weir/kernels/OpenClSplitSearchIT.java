package dev.weir.kernels;

import dev.weir.kernels.internals.OpenClVideoKernels;

/**
 * The {@code opencl} backend with the entry-split search ({@code nearest_split} + {@code nearest_reduce}) that GPUs may get, forced on this machine's OpenCL device
 * (PoCL's CPU device in CI), equals the scalar reference.
 */
class OpenClSplitSearchIT extends KernelsEqualScalarContract {

    @Override
    protected VideoKernels openBackend() {
        return OpenClVideoKernels.open(System.getenv("WEIR_OPENCL_DEVICE"), false, "split");
    }
}
