package dev.weir.kernels.internals;

import dev.weir.kernels.PatchGrid;
import dev.weir.kernels.FrameStepSpec;
import dev.weir.kernels.KernelUnavailableException;
import dev.weir.kernels.ShapeCodebook;
import org.jocl.CL;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_buffer_region;
import org.jocl.cl_command_queue;
import org.jocl.cl_event;
import org.jocl.cl_kernel;
import org.jocl.cl_mem;
import org.jocl.cl_program;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The frame step fused on an OpenCL device: {@code patchify} (2-D: patch × frame) → {@code patch_cosine}
 * → {@code novelty_keep} → {@code compact_kept} → {@code gather_rows} → {@code nearest_blocked} (GPUs) or
 * {@code nearest} (CPU devices), all on one in-order queue with profiling on, so each stage's device time
 * is known. Only frames go up and DC codes, kept indices and tokens come down; the reference stays on the
 * device and, when tracking, is advanced there by a device-to-device copy.
 */
final class OpenClFrameStep implements DeviceFrameStep {

    private static final int WG_PATCH = 64;
    private static final int RANK_TILE = 256;
    private static final int SCAN_WG = 256;
    /** |residual| after patchify + DC removal: pixel (0..255) minus a DC value (0..255). */
    private static final int MAX_ABS_RESIDUAL = 255;

    private final OpenClVideoKernels kernels;
    private final OpenClDevice device;
    private final FrameStepSpec spec;
    private final PatchGrid g;
    private final int n;
    private final int d;
    private final int k;
    private final OpenClSearch search;
    private final cl_command_queue queue;
    private final cl_kernel patchify;
    private final cl_kernel cosine;
    private final cl_kernel keep;
    private final cl_kernel compact;
    private final cl_kernel gather;
    private final cl_mem frames;
    /** DC codes, kept indices and tokens: regions of one buffer, so one read brings all of them down. */
    private final cl_mem outputs;
    private final int keptOffset;
    private final int tokensOffset;
    private final int[] staging;
    private final cl_mem dcCodes;
    private final cl_mem residuals;
    private final cl_mem reference;
    private final cl_mem cosines;
    private final cl_mem keepFlags;
    private final cl_mem kept;
    private final cl_mem rows;
    private final cl_mem keptRows;
    private final cl_mem tokens;
    private final List<cl_mem> buffers = new ArrayList<>();
    private final List<cl_kernel> kernelObjects = new ArrayList<>();
    private final List<Map.Entry<String, cl_event>> events = new ArrayList<>();
    private final Map<String, Long> stageNanos = new LinkedHashMap<>();
    private int count;
    private boolean closed;

    OpenClFrameStep(OpenClVideoKernels kernels, OpenClDevice device, OpenClSearch.Kernel searchKernel, FrameStepSpec spec) {
        this.kernels = kernels;
        this.device = device;
        this.spec = spec;
        this.g = spec.geometry();
        this.n = g.patches();
        this.d = g.patchDim();
        this.k = spec.keptPerFrame();
        cl_program program = device.frameStepProgram();
        int batch = spec.batch();
        long residualBytes = 2L * batch * n * d;
        if (residualBytes > device.maxAllocBytes || (long) batch * g.rgbBytes() > device.maxAllocBytes) {
            throw new KernelUnavailableException("a batch of " + batch + " " + g.width() + "x" + g.height()
                    + " frames needs a " + residualBytes + "-byte residual buffer; " + device.name + " allocates at most "
                    + device.maxAllocBytes + " bytes at once: use a smaller batch");
        }
        this.queue = CL.clCreateCommandQueue(device.context, device.device, CL.CL_QUEUE_PROFILING_ENABLE, null);
        try {
            this.patchify = kernel(program, "patchify");
            this.cosine = kernel(program, "patch_cosine");
            this.keep = kernel(program, "novelty_keep");
            this.compact = kernel(program, "compact_kept");
            this.gather = kernel(program, "gather_rows");
            this.search = new OpenClSearch(device, program, queue, searchKernel);
            if (!device.fits(patchify, WG_PATCH) || !device.fits(cosine, WG_PATCH) || !device.fits(keep, RANK_TILE)
                    || !device.fits(compact, SCAN_WG)) {
                throw new KernelUnavailableException(device.name + " cannot run the frame step's work-groups of "
                        + RANK_TILE + " items");
            }
            this.frames = buffer((long) batch * g.rgbBytes());
            long align = device.baseAddressAlignBytes;
            long dcBytes = 4L * batch * n * 3;
            long resultBytes = 4L * batch * Math.max(k, 1);
            long keptAt = OpenClVideoKernels.roundUp(dcBytes, align);
            long tokensAt = OpenClVideoKernels.roundUp(keptAt + resultBytes, align);
            this.keptOffset = (int) (keptAt / 4);
            this.tokensOffset = (int) (tokensAt / 4);
            this.staging = new int[(int) ((tokensAt + resultBytes) / 4)];
            this.outputs = buffer(tokensAt + resultBytes);
            this.dcCodes = region(outputs, 0, dcBytes);
            this.residuals = buffer(2L * batch * n * d);
            this.reference = buffer(2L * n * d);
            this.cosines = buffer(8L * batch * n);
            this.keepFlags = buffer(4L * batch * n);
            this.kept = region(outputs, keptAt, resultBytes);
            this.rows = buffer(4L * batch * Math.max(k, 1));
            this.keptRows = buffer(2L * batch * Math.max(k, 1) * d);
            this.tokens = region(outputs, tokensAt, resultBytes);
            reference(new short[n * d]); // the host plan's reference starts as zeros; so does the device's
        } catch (CLException e) {
            close();
            throw new KernelUnavailableException("the fused frame step cannot start on " + device.name + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    @Override
    public String device() {
        return "opencl:" + device.name;
    }

    @Override
    public void upload(byte[][] batch) {
        ensureOpen();
        releaseEvents();
        count = batch.length;
        int bytes = g.rgbBytes();
        for (int f = 0; f < count; f++) {
            cl_event event = new cl_event();
            CL.clEnqueueWriteBuffer(queue, frames, CL.CL_TRUE, (long) f * bytes, bytes, Pointer.to(batch[f]), 0, null, event);
            events.add(Map.entry("upload", event));
        }
    }

    @Override
    public void patchify() {
        OpenClVideoKernels.args(patchify, frames, g.width(), g.height(), g.patch(), g.columns(), spec.dcBits(), dcCodes, residuals);
        enqueue("patchify", patchify, new long[] {(long) n * WG_PATCH, count}, new long[] {WG_PATCH, 1});
    }

    @Override
    public void noveltyTopK() {
        OpenClVideoKernels.args(cosine, residuals, reference, n, d, spec.trackReference() ? 1 : 0, cosines);
        enqueue("novelty-topk", cosine, new long[] {(long) n * WG_PATCH, count}, new long[] {WG_PATCH, 1});
        if (k > 0) {
            OpenClVideoKernels.args(keep, cosines, n, k, keepFlags);
            enqueue("novelty-topk", keep, new long[] {OpenClVideoKernels.roundUp(n, RANK_TILE), count}, new long[] {RANK_TILE, 1});
            OpenClVideoKernels.args(compact, keepFlags, n, k, kept, rows);
            enqueue("novelty-topk", compact, new long[] {(long) SCAN_WG * count}, new long[] {SCAN_WG});
        }
        if (spec.trackReference()) {
            cl_event event = new cl_event();
            CL.clEnqueueCopyBuffer(queue, residuals, reference, 2L * (count - 1) * n * d, 0, 2L * n * d, 0, null, event);
            events.add(Map.entry("novelty-topk", event));
        }
    }

    @Override
    public void nearest() {
        int rowCount = count * k;
        if (rowCount == 0) {
            return;
        }
        OpenClVideoKernels.args(gather, residuals, rows, rowCount, d, keptRows);
        enqueue("nearest", gather, new long[] {OpenClVideoKernels.roundUp((long) rowCount * d, WG_PATCH)}, new long[] {WG_PATCH});
        ShapeCodebook cb = spec.codebook();
        List<cl_event> searchEvents = new ArrayList<>();
        search.enqueue(keptRows, rowCount, d, kernels.deviceCodebook(cb), cb.size(), MAX_ABS_RESIDUAL, tokens, searchEvents);
        searchEvents.forEach(event -> events.add(Map.entry("nearest", event)));
    }

    @Override
    public void download(int[] dcCodesOut, int[] keptOut, int[] tokensOut) {
        // one blocking read (one wait for the device) instead of three
        int used = count * k > 0 ? tokensOffset + count * k : count * n * 3;
        read("download", outputs, Pointer.to(staging), 4L * used);
        System.arraycopy(staging, 0, dcCodesOut, 0, count * n * 3);
        System.arraycopy(staging, keptOffset, keptOut, 0, count * k);
        System.arraycopy(staging, tokensOffset, tokensOut, 0, count * k);
        collectStageNanos();
    }

    @Override
    public void reference(short[] patchResiduals) {
        ensureOpen();
        CL.clEnqueueWriteBuffer(queue, reference, CL.CL_TRUE, 0, 2L * n * d, Pointer.to(patchResiduals), 0, null, null);
    }

    @Override
    public void residuals(short[] out) {
        ensureOpen();
        CL.clEnqueueReadBuffer(queue, residuals, CL.CL_TRUE, 0, 2L * count * n * d, Pointer.to(out), 0, null, null);
    }

    @Override
    public Map<String, Long> lastStageDeviceNanos() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(stageNanos));
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        releaseEvents();
        if (queue != null) {
            CL.clFinish(queue);
        }
        if (search != null) {
            search.release();
        }
        buffers.forEach(CL::clReleaseMemObject);
        kernelObjects.forEach(CL::clReleaseKernel);
        if (queue != null) {
            CL.clReleaseCommandQueue(queue);
        }
    }

    // ---------------------------------------------------------------------------------------------

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("the fused frame step on " + device.name + " is closed");
        }
    }

    private cl_kernel kernel(cl_program program, String name) {
        cl_kernel kernel = CL.clCreateKernel(program, name, null);
        kernelObjects.add(kernel);
        return kernel;
    }

    /** A sub-buffer of {@code parent}; {@code origin} is a multiple of the device's base address alignment. */
    private cl_mem region(cl_mem parent, long origin, long bytes) {
        cl_mem mem = CL.clCreateSubBuffer(parent, CL.CL_MEM_READ_WRITE, CL.CL_BUFFER_CREATE_TYPE_REGION,
                new cl_buffer_region(origin, bytes), null);
        buffers.addFirst(mem); // released before its parent
        return mem;
    }

    private cl_mem buffer(long bytes) {
        cl_mem mem = CL.clCreateBuffer(device.context, CL.CL_MEM_READ_WRITE, Math.max(bytes, 64), null, null);
        buffers.add(mem);
        return mem;
    }

    private void enqueue(String stage, cl_kernel kernel, long[] global, long[] local) {
        cl_event event = new cl_event();
        CL.clEnqueueNDRangeKernel(queue, kernel, global.length, null, global, local, 0, null, event);
        events.add(Map.entry(stage, event));
    }

    private void read(String stage, cl_mem mem, Pointer to, long bytes) {
        cl_event event = new cl_event();
        CL.clEnqueueReadBuffer(queue, mem, CL.CL_TRUE, 0, bytes, to, 0, null, event);
        events.add(Map.entry(stage, event));
    }

    /** Sums each stage's command times (end − start, from the queue's profiling) over its commands. */
    private void collectStageNanos() {
        stageNanos.clear();
        long[] start = new long[1];
        long[] end = new long[1];
        for (Map.Entry<String, cl_event> e : events) {
            CL.clGetEventProfilingInfo(e.getValue(), CL.CL_PROFILING_COMMAND_START, Sizeof.cl_ulong, Pointer.to(start), null);
            CL.clGetEventProfilingInfo(e.getValue(), CL.CL_PROFILING_COMMAND_END, Sizeof.cl_ulong, Pointer.to(end), null);
            stageNanos.merge(e.getKey(), end[0] - start[0], Long::sum);
        }
        releaseEvents();
    }

    private void releaseEvents() {
        for (Map.Entry<String, cl_event> e : events) {
            CL.clReleaseEvent(e.getValue());
        }
        events.clear();
    }
}
