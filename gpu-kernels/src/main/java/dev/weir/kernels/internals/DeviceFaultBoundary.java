package dev.weir.kernels.internals;

import dev.weir.kernels.FrameStepSpec;
import dev.weir.kernels.KernelDeviceException;
import dev.weir.kernels.PatchGrid;
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
final class DeviceFaultBoundary implements VideoKernels, FusedFrameSteps {

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
    public void cosineTerms(short[] a, int aOffset, short[] b, int bOffset, int count, int dim, long[] dot,
                            long[] normA, long[] normB) {
        run("cosineTerms", backend(), () -> device.cosineTerms(a, aOffset, b, bOffset, count, dim, dot, normA, normB));
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
    public DeviceFrameStep openFrameStep(FrameStepSpec spec) {
        return new Step(get("openFrameStep", backend(), () -> device.openFrameStep(spec)));
    }

    @Override
    public void close() {
        run("close", backend(), device::close);
    }

    /** The opened device (for tests and the benchmark, which ask it about itself). */
    OpenClVideoKernels device() {
        return device;
    }

    /** A device frame step whose OpenCL failures are the kernel layer's. */
    private record Step(DeviceFrameStep step) implements DeviceFrameStep {

        @Override
        public void upload(byte[][] frames) {
            run("frame step upload", step.device(), () -> step.upload(frames));
        }

        @Override
        public void patchify() {
            run("frame step patchify", step.device(), step::patchify);
        }

        @Override
        public void noveltyTopK() {
            run("frame step novelty", step.device(), step::noveltyTopK);
        }

        @Override
        public void nearest() {
            run("frame step nearest", step.device(), step::nearest);
        }

        @Override
        public void download(int[] dcCodes, int[] keptPatches, int[] tokens) {
            run("frame step download", step.device(), () -> step.download(dcCodes, keptPatches, tokens));
        }

        @Override
        public void reference(short[] patchResiduals) {
            run("frame step reference", step.device(), () -> step.reference(patchResiduals));
        }

        @Override
        public void residuals(short[] out) {
            run("frame step residuals", step.device(), () -> step.residuals(out));
        }

        @Override
        public Map<String, Long> lastStageDeviceNanos() {
            return step.lastStageDeviceNanos();
        }

        @Override
        public String device() {
            return step.device();
        }

        @Override
        public void close() {
            run("frame step close", step.device(), step::close);
        }
    }
}
