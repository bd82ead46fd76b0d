package dev.weir.kernels.internals;

import dev.weir.kernels.DeviceUse;
import dev.weir.kernels.KernelDeviceException;
import dev.weir.kernels.PatchGrid;
import dev.weir.kernels.PatchMeasures;
import dev.weir.kernels.PatchSelection;
import dev.weir.kernels.PatchStepResult;
import dev.weir.kernels.PatchStepSpec;
import dev.weir.kernels.ShapeCodebook;
import dev.weir.kernels.VideoKernels;
import org.jocl.CLException;

import java.util.Map;
import java.util.function.Supplier;

/**
 * Where OpenCL's own failures become the kernel layer's: every call into the OpenCL backend (and into the
 * device frame steps it opens) that fails with JOCL's {@link CLException} fails with a
 * {@link KernelDeviceException} instead, so no caller above the kernel layer needs to know OpenCL exists.
 * Everything else passes through unchanged.
 */
final class DeviceFaultBoundary implements VideoKernels, FusedPatchSteps {

    private final OpenClVideoKernels device;

    DeviceFaultBoundary(OpenClVideoKernels device) {
        this.device = device;
    }

    static void run(String kernel, String backend, Runnable call) {
        get(kernel, backend, () -> {
            call.run();
            return null;
        });
    }

    static <T> T get(String kernel, String backend, Supplier<T> call) {
        try {
            return call.get();
        } catch (CLException e) {
            throw new KernelDeviceException(kernel + " failed on " + backend + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String backend() {
        return device.backend();
    }

    @Override
    public String selectionReason() {
        return device.selectionReason();
    }

    @Override
    public void patchify(byte[] rgb, PatchGrid g, int dcBits, int[] dcCodes, short[] residuals) {
        run("patchify", backend(), () -> device.patchify(rgb, g, dcBits, dcCodes, residuals));
    }

    @Override
    public void nearest(short[] vectors, int[] rows, int count, ShapeCodebook codebook, int[] indices) {
        run("nearest", backend(), () -> device.nearest(vectors, rows, count, codebook, indices));
    }

    @Override
    public void subtract(short[] vectors, int[] rows, int count, ShapeCodebook codebook, int[] indices) {
        run("subtract", backend(), () -> device.subtract(vectors, rows, count, codebook, indices));
    }

    @Override
    public void reconstruct(byte[] frame, PatchGrid g, int dcBits, int[] patchIds, int count, int[] dcCodes,
                            int[] shapeIds, ShapeCodebook[] codebooks) {
        run("reconstruct", backend(), () -> device.reconstruct(frame, g, dcBits, patchIds, count, dcCodes, shapeIds, codebooks));
    }

    @Override
    public void patchSquaredError(byte[] a, byte[] b, PatchGrid g, long[] out) {
        run("patchSquaredError", backend(), () -> device.patchSquaredError(a, b, g, out));
    }

    @Override
    public long squaredError(byte[] a, byte[] b, int length) {
        return get("squaredError", backend(), () -> device.squaredError(a, b, length));
    }

    @Override
    public void retain(ShapeCodebook codebook) {
        run("retain", backend(), () -> device.retain(codebook));
    }

    @Override
    public void release(ShapeCodebook codebook) {
        run("release", backend(), () -> device.release(codebook));
    }

    @Override
    public void cellMeans(byte[] rgb, PatchGrid g, byte[] out) {
        run("cellMeans", backend(), () -> device.cellMeans(rgb, g, out));
    }

    @Override
    public PatchStep openPatchStep(PatchStepSpec spec) {
        return new Step(get("openPatchStep", backend(), () -> device.openPatchStep(spec)));
    }

    @Override
    public DeviceUse deviceUse() {
        return device.deviceUse();
    }

    @Override
    public void close() {
        run("close", backend(), device::close);
    }

    /** The opened device (for tests and the benchmark, which ask it about itself). */
    OpenClVideoKernels device() {
        return device;
    }

    /** A stream's fused patch step whose OpenCL failures are the kernel layer's. */
    private record Step(PatchStep step) implements PatchStep {

        @Override
        public PatchMeasures measure(byte[] frame) {
            return get("patch step measure", step.placement(), () -> step.measure(frame));
        }

        @Override
        public PatchStepResult encode(PatchSelection selection, int[] sentRows) {
            return get("patch step encode", step.placement(), () -> step.encode(selection, sentRows));
        }

        @Override
        public void reference(byte[] picture) {
            run("patch step reference", step.placement(), () -> step.reference(picture));
        }

        @Override
        public byte[] reference() {
            return get("patch step reference", step.placement(), step::reference);
        }

        @Override
        public Map<String, Long> lastStageDeviceNanos() {
            return step.lastStageDeviceNanos();
        }

        @Override
        public String placement() {
            return step.placement();
        }

        @Override
        public long deviceBytes() {
            return step.deviceBytes();
        }

        @Override
        public void close() {
            run("patch step close", step.placement(), step::close);
        }
    }
}
