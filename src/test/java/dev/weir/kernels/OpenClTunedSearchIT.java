package dev.weir.kernels;

import dev.weir.kernels.internals.OpenClVideoKernels;

/**
 * The {@code opencl} backend with the tuned search (blocked or split, timed per shape: the GPU default), forced on this machine's OpenCL device
 * (PoCL's CPU device in CI), equals the scalar reference.
 */
class OpenClTunedSearchIT extends KernelsEqualScalarContract {

    @Override
    protected VideoKernels openBackend() {
        return OpenClVideoKernels.open(System.getenv("WEIR_OPENCL_DEVICE"), false, "tuned");
    }
}
