package dev.weir.kernels;

import dev.weir.kernels.internals.OpenClVideoKernels;

/**
 * The {@code opencl} backend with the register-blocked search kernel that GPUs get ({@code nearest_blocked},
 * float slices), forced on this machine's OpenCL device (PoCL's CPU device in CI), equals the scalar reference.
 */
class OpenClBlockedSearchIT extends KernelsEqualScalarContract {

    @Override
    protected VideoKernels openBackend() {
        return OpenClVideoKernels.open(System.getenv("WEIR_OPENCL_DEVICE"), false, "blocked");
    }
}
