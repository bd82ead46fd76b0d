package dev.weir.kernels.internals;

import dev.weir.kernels.PatchMeasures;
import dev.weir.kernels.PatchSelection;
import dev.weir.kernels.PatchStepResult;
import org.jocl.CL;
import org.jocl.cl_mem;

import java.lang.ref.Cleaner;
import java.util.Map;

/**
 * One stream's patch step fused on an OpenCL device: its reference picture (what the decoder shows) stays on
 * the device between frames; the work runs in its shape's plan ({@link OpenClPatchShape}), shared with the
 * other streams of that shape. Closing it (or, as a backstop, losing it to the garbage collector) frees the
 * picture and its share of the device budget.
 */
final class OpenClPatchStep implements PatchStep {

    private static final Cleaner CLEANER = Cleaner.create();

    private final OpenClPatchShape shape;
    private final cl_mem reference;
    private final long bytes;
    private final Cleaner.Cleanable cleanable;
    private boolean closed;

    /**
     * @param release what to do once the picture is freed (return its bytes to the budget); run exactly once,
     *                on {@link #close} or by the cleaner
     */
    OpenClPatchStep(OpenClPatchShape shape, cl_mem reference, long bytes, Runnable release) {
        this.shape = shape;
        this.reference = reference;
        this.bytes = bytes;
        this.cleanable = CLEANER.register(this, new Free(reference, release));
    }

    /** Frees the picture; holds no reference to the step, so the cleaner can run it after the step is gone. */
    private record Free(cl_mem reference, Runnable release) implements Runnable {
        @Override
        public void run() {
            CL.clReleaseMemObject(reference);
            release.run();
        }
    }

    @Override
    public PatchMeasures measure(byte[] frame) {
        ensureOpen();
        return shape.measure(reference, frame);
    }

    @Override
    public PatchStepResult encode(PatchSelection selection, int[] sentRows) {
        ensureOpen();
        return shape.encode(reference, selection, sentRows);
    }

    @Override
    public void reference(byte[] picture) {
        ensureOpen();
        shape.writeReference(reference, picture);
    }

    @Override
    public byte[] reference() {
        ensureOpen();
        return shape.readReference(reference);
    }

    @Override
    public Map<String, Long> lastStageDeviceNanos() {
        return shape.lastStageNanos();
    }

    @Override
    public String placement() {
        return "fused on " + shape.device();
    }

    @Override
    public long deviceBytes() {
        return bytes;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            cleanable.clean();
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("this stream's patch step is closed");
        }
    }
}
