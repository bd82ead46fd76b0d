package dev.weir.kernels;

import dev.weir.kernels.internals.OpenClVideoKernels;

/**
 * The {@code opencl} backend with the all-int tiled search kernel ({@code nearest}: what any device takes when no
 * float slice is exact), forced on this machine's OpenCL device (PoCL's CPU device in CI), equals the scalar
 * reference. (The default there is {@code nearest_panel}, checked by {@link OpenClVideoKernelsIT}.)
 */
class OpenClTiledSearchIT extends KernelsEqualScalarContract {

    @Override
    protected VideoKernels openBackend() {
        return OpenClVideoKernels.open(System.getenv("WEIR_OPENCL_DEVICE"), false, "tiled");
    }
}
