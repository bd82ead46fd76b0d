package dev.weir.kernels;

import dev.weir.kernels.internals.OpenClVideoKernels;

/**
 * The fused patch step with the kernels GPUs get (a work-group per patch for measure, patchify and repaint, and a
 * GPU search), forced on this machine's OpenCL device (PoCL's CPU device in CI), equals the scalar reference. (The
 * default there, one item per patch and the panel search, is checked by {@link OpenClPatchStepIT}.)
 */
class OpenClGpuShapedPatchStepIT extends PatchStepContract {

    @Override
    protected VideoKernels openBackend() {
        return OpenClVideoKernels.open(System.getenv("WEIR_OPENCL_DEVICE"), false, "blocked");
    }
}
