package dev.weir.kernels.internals;

import dev.weir.kernels.PatchGrid;
import dev.weir.kernels.FrameStepSpec;
import dev.weir.kernels.KernelUnavailableException;
import dev.weir.kernels.ShapeCodebook;
import dev.weir.kernels.VideoKernels;
import org.jocl.CL;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_command_queue;
import org.jocl.cl_kernel;
import org.jocl.cl_mem;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code opencl} backend: the OpenCL C 1.2 kernels of {@code video.cl} through JOCL, on one device.
 * Codebooks are uploaded once and stay device-resident (retained ones until released, others in a small
 * least-recently-used cache); scratch buffers grow to the largest request and are reused. The novelty
 * terms ({@link #cosineTerms}) run on the host with the Vector API; a whole frame step can run on the
 * device instead ({@link #openFrameStep}). Not thread-safe: one per stream task.
 */
public final class OpenClVideoKernels implements VideoKernels, FusedFrameSteps {

    /** Work-group size of per-patch kernels; must match WG_PATCH in video.cl. */
    private static final int WG_PATCH = 64;
    private static final int CACHED_CODEBOOKS = 8;

    private final OpenClDevice device;
    private final String selectionReason;
    private final cl_command_queue queue;
    private final cl_kernel patchify;
    private final OpenClSearch search;
    private final cl_kernel subtract;
    private final cl_kernel reconstructDc;
    private final cl_kernel reconstructStage;
    private final cl_kernel reconstructWrite;
    private final cl_kernel patchSquaredError;
    private final cl_kernel squaredError;
    private final JvmVideoKernels host = new JvmVideoKernels();
    private final List<cl_kernel> kernelObjects = new ArrayList<>();
    private final Map<ShapeCodebook, DeviceCodebook> codebooks = new LinkedHashMap<>(16, 0.75f, true);
    private final List<ShapeCodebook> retained = new ArrayList<>();
    private final Scratch frameA = new Scratch();
    private final Scratch frameB = new Scratch();
    private final Scratch ints = new Scratch();
    private final Scratch shorts = new Scratch();
    private final Scratch values = new Scratch();
    private final Scratch out = new Scratch();
    private boolean closed;

    private final OpenClSearch.Kernel searchKernel;

    private OpenClVideoKernels(OpenClDevice device, String selectionReason, OpenClSearch.Kernel searchKernel) {
        this.device = device;
        this.searchKernel = searchKernel;
        this.selectionReason = selectionReason;
        this.queue = CL.clCreateCommandQueue(device.context, device.device, 0, null);
        try {
            this.patchify = kernel("patchify");
            this.subtract = kernel("subtract");
            this.reconstructDc = kernel("reconstruct_dc");
            this.reconstructStage = kernel("reconstruct_stage");
            this.reconstructWrite = kernel("reconstruct_write");
            this.patchSquaredError = kernel("patch_squared_error");
            this.squaredError = kernel("squared_error");
            this.search = new OpenClSearch(device, device.program, queue, searchKernel);
        } catch (RuntimeException e) {
            kernelObjects.forEach(CL::clReleaseKernel); // or every failed open leaks a queue and kernels
            CL.clReleaseCommandQueue(queue);
            throw e;
        }
    }

    private cl_kernel kernel(String name) {
        cl_kernel kernel = CL.clCreateKernel(device.program, name, null);
        kernelObjects.add(kernel);
        return kernel;
    }

    /**
     * Opens the backend on the device whose name contains {@code deviceFilter} (null or blank: the first
     * GPU, else, unless {@code gpuOnly}, the first device of any type).
     *
     * @throws KernelUnavailableException when there is no OpenCL runtime or no matching device
     */
    public static VideoKernels open(String deviceFilter, boolean gpuOnly) {
        return open(deviceFilter, gpuOnly, (String) null);
    }

    /**
     * As {@link #open(String, boolean)}, choosing the search kernel by name: {@code tiled} (all-int 16×16 tiles,
     * the fastest on CPU OpenCL such as PoCL), {@code blocked} (64×64 register-blocked), {@code split}
     * (128×128 register-blocked, entries split across work-groups), {@code tuned} (blocked or split, whichever
     * the device runs faster for each search shape; the default on GPUs), or null for the device's default.
     * All give the same indices.
     */
    public static VideoKernels open(String deviceFilter, boolean gpuOnly, String searchKernel) {
        OpenClDevice device = OpenClDevice.select(deviceFilter, gpuOnly);
        OpenClSearch.Kernel kernel = searchKernel == null ? OpenClSearch.Kernel.forDevice(device.gpu)
                : OpenClSearch.Kernel.parse(searchKernel);
        try {
            return new DeviceFaultBoundary(new OpenClVideoKernels(device, gpuOnly ? "OpenCL GPU present: " + device.name : "", kernel));
        } catch (CLException e) {
            throw new KernelUnavailableException("OpenCL device " + device.name + " could not start: " + e.getMessage(), e);
        }
    }

    @Override
    public String backend() {
        return "opencl:" + device.name;
    }

    @Override
    public String selectionReason() {
        return selectionReason;
    }

    /** Whether {@code kernels} run on an OpenCL GPU. */
    public static boolean onGpu(VideoKernels kernels) {
        return kernels instanceof DeviceFaultBoundary boundary && boundary.device().device.gpu;
    }

    @Override
    public void retain(ShapeCodebook codebook) {
        upload(codebook);
        retained.add(codebook);
    }

    @Override
    public void release(ShapeCodebook codebook) {
        retained.remove(codebook);
        trimCodebooks();
    }

    /**
     * The whole frame step on this device: needs double precision (cl_khr_fp64) for the exact novelty
     * ranking. The step shares this backend's device-resident codebooks.
     */
    @Override
    public DeviceFrameStep openFrameStep(FrameStepSpec spec) {
        ensureOpen();
        return new OpenClFrameStep(this, device, searchKernel, spec);
    }

    @Override
    public void patchify(byte[] rgb, PatchGrid g, int dcBits, int[] dcCodes, short[] residuals) {
        KernelChecks.patchify(rgb, g, dcBits, dcCodes, residuals);
        int n = g.patches();
        write(frameA.ensure(device, rgb.length), Pointer.to(rgb), rgb.length);
        cl_mem codes = ints.ensure(device, 4L * n * 3);
        cl_mem res = shorts.ensure(device, 2L * n * g.patchDim());
        args(patchify, frameA.mem, g.width(), g.height(), g.patch(), g.columns(), dcBits, codes, res);
        run(patchify, (long) n * WG_PATCH, WG_PATCH);
        read(codes, Pointer.to(dcCodes), 4L * n * 3);
        read(res, Pointer.to(residuals), 2L * n * g.patchDim());
    }

    @Override
    public void nearest(short[] vectors, int[] rows, int count, ShapeCodebook cb, int[] indices) {
        int d = cb.dim();
        KernelChecks.rows(vectors, rows, count, d);
        KernelChecks.atLeast("indices", indices.length, count);
        if (count == 0) {
            return;
        }
        DeviceCodebook q = upload(cb);
        short[] gathered = gather(vectors, rows, count, d);
        int maxAbs = maxAbs(gathered, count * d);
        if ((long) d * maxAbs * q.maxAbs() > Integer.MAX_VALUE) {
            // beyond the |x| ≤ 2047 contract far enough that the kernels' int dot products could overflow
            host.nearest(gathered, null, count, cb, indices);
            return;
        }
        cl_mem x = shorts.ensure(device, 2L * count * d);
        write(x, Pointer.to(gathered), 2L * count * d);
        cl_mem result = ints.ensure(device, 4L * count);
        search.enqueue(x, count, d, q, cb.size(), maxAbs, result, null);
        read(result, Pointer.to(indices), 4L * count);
    }

    @Override
    public void subtract(short[] vectors, int[] rows, int count, ShapeCodebook cb, int[] indices) {
        int d = cb.dim();
        KernelChecks.rows(vectors, rows, count, d);
        KernelChecks.indices(indices, count, cb.size());
        if (count == 0) {
            return;
        }
        DeviceCodebook q = upload(cb);
        short[] gathered = gather(vectors, rows, count, d);
        cl_mem x = shorts.ensure(device, 2L * count * d);
        write(x, Pointer.to(gathered), 2L * count * d);
        cl_mem ids = ints.ensure(device, 4L * count);
        write(ids, Pointer.to(indices), 4L * count);
        args(subtract, x, count, d, q.entries, cb.scaleShift(), ids);
        run(subtract, (long) count * d, 0);
        read(x, Pointer.to(gathered), 2L * count * d);
        for (int r = 0; r < count; r++) {
            System.arraycopy(gathered, r * d, vectors, (rows == null ? r : rows[r]) * d, d);
        }
    }

    @Override
    public void reconstruct(byte[] frame, PatchGrid g, int dcBits, int[] patchIds, int count,
                            int[] dcCodes, int[] shapeIds, ShapeCodebook[] stages) {
        KernelChecks.dcBits(dcBits);
        KernelChecks.reconstruct(frame, g, patchIds, count, dcCodes, shapeIds, stages);
        if (count == 0) {
            return;
        }
        int d = g.patchDim();
        long items = (long) count * d;
        cl_mem acc = values.ensure(device, 4L * items);
        cl_mem codes = ints.ensure(device, 4L * 3 * count);
        write(codes, Pointer.to(dcCodes), 4L * 3 * count);
        args(reconstructDc, acc, count, d, codes, dcBits);
        run(reconstructDc, items, 0);
        cl_mem ids = out.ensure(device, 4L * count);
        for (int t = 0; t < stages.length; t++) {
            DeviceCodebook q = upload(stages[t]);
            write(ids, Pointer.to(shapeIds).withByteOffset(4L * t * count), 4L * count);
            args(reconstructStage, acc, count, d, q.entries, stages[t].scaleShift(), ids);
            run(reconstructStage, items, 0);
        }
        write(ids, Pointer.to(patchIds), 4L * count);
        write(frameA.ensure(device, frame.length), Pointer.to(frame), frame.length);
        args(reconstructWrite, acc, count, d, ids, g.width(), g.height(), g.patch(), g.columns(), frameA.mem);
        run(reconstructWrite, items, 0);
        read(frameA.mem, Pointer.to(frame), frame.length);
    }

    @Override
    public void patchSquaredError(byte[] a, byte[] b, PatchGrid g, long[] result) {
        KernelChecks.patchSquaredError(a, b, g, result);
        write(frameA.ensure(device, a.length), Pointer.to(a), a.length);
        write(frameB.ensure(device, b.length), Pointer.to(b), b.length);
        cl_mem sums = out.ensure(device, 8L * g.patches());
        args(patchSquaredError, frameA.mem, frameB.mem, g.width(), g.height(), g.patch(), g.columns(), sums);
        run(patchSquaredError, (long) g.patches() * WG_PATCH, WG_PATCH);
        read(sums, Pointer.to(result), 8L * g.patches());
    }

    @Override
    public long squaredError(byte[] a, byte[] b, int length) {
        KernelChecks.squaredError(a, b, length);
        if (length <= 0) {
            return 0;
        }
        write(frameA.ensure(device, length), Pointer.to(a), length);
        write(frameB.ensure(device, length), Pointer.to(b), length);
        int groups = (int) Math.min(1024, (length + WG_PATCH - 1) / WG_PATCH);
        cl_mem partial = out.ensure(device, 8L * groups);
        args(squaredError, frameA.mem, frameB.mem, length, partial);
        run(squaredError, (long) groups * WG_PATCH, WG_PATCH);
        long[] sums = new long[groups];
        read(partial, Pointer.to(sums), 8L * groups);
        long total = 0;
        for (long s : sums) {
            total += s;
        }
        return total;
    }

    @Override
    public void cosineTerms(short[] a, int aOffset, short[] b, int bOffset, int count, int dim,
                            long[] dot, long[] normA, long[] normB) {
        host.cosineTerms(a, aOffset, b, bOffset, count, dim, dot, normA, normB);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (DeviceCodebook q : codebooks.values()) {
            q.release();
        }
        codebooks.clear();
        retained.clear();
        for (Scratch s : new Scratch[] {frameA, frameB, ints, shorts, values, out}) {
            s.release();
        }
        kernelObjects.forEach(CL::clReleaseKernel);
        CL.clReleaseCommandQueue(queue);
        search.release();
        host.close();
    }

    // ---------------------------------------------------------------------------------------------

    /** A codebook on the device: entries as char, 2^s·‖q_j‖² as long. */
    record DeviceCodebook(cl_mem entries, cl_mem scaledNorms, int maxAbs) {
        void release() {
            CL.clReleaseMemObject(entries);
            CL.clReleaseMemObject(scaledNorms);
        }
    }

    /** The device copy of {@code cb}, uploaded now if it is not resident. */
    DeviceCodebook deviceCodebook(ShapeCodebook cb) {
        ensureOpen();
        return upload(cb);
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("the opencl kernels on " + device.name + " are closed");
        }
    }

    private DeviceCodebook upload(ShapeCodebook cb) {
        DeviceCodebook q = codebooks.get(cb);
        if (q != null) {
            return q;
        }
        long[] norms = new long[cb.size()];
        for (int j = 0; j < norms.length; j++) {
            norms[j] = cb.squaredNorm(j) << cb.scaleShift();
        }
        cl_mem entries = CL.clCreateBuffer(device.context, CL.CL_MEM_READ_ONLY | CL.CL_MEM_COPY_HOST_PTR,
                cb.entries().length, Pointer.to(cb.entries()), null);
        cl_mem scaledNorms = CL.clCreateBuffer(device.context, CL.CL_MEM_READ_ONLY | CL.CL_MEM_COPY_HOST_PTR,
                8L * norms.length, Pointer.to(norms), null);
        int maxAbs = 0;
        for (byte b : cb.entries()) {
            maxAbs = Math.max(maxAbs, Math.abs(b));
        }
        q = new DeviceCodebook(entries, scaledNorms, maxAbs);
        codebooks.put(cb, q);
        trimCodebooks();
        return q;
    }

    /** Drops least-recently-used codebooks that are not retained, beyond the cache size. */
    private void trimCodebooks() {
        var it = codebooks.entrySet().iterator();
        int excess = codebooks.size() - CACHED_CODEBOOKS - retained.size();
        while (excess > 0 && it.hasNext()) {
            var e = it.next();
            if (!retained.contains(e.getKey())) {
                e.getValue().release();
                it.remove();
                excess--;
            }
        }
    }

    private static short[] gather(short[] vectors, int[] rows, int count, int d) {
        if (rows == null) {
            return vectors;
        }
        short[] gathered = new short[count * d];
        for (int r = 0; r < count; r++) {
            System.arraycopy(vectors, rows[r] * d, gathered, r * d, d);
        }
        return gathered;
    }

    private static int maxAbs(short[] values, int length) {
        int max = 0;
        for (int i = 0; i < length; i++) {
            max = Math.max(max, Math.abs(values[i]));
        }
        return max;
    }

    static long roundUp(long value, long multiple) {
        return (value + multiple - 1) / multiple * multiple;
    }

    private void write(cl_mem mem, Pointer from, long bytes) {
        CL.clEnqueueWriteBuffer(queue, mem, CL.CL_TRUE, 0, bytes, from, 0, null, null);
    }

    private void read(cl_mem mem, Pointer to, long bytes) {
        CL.clEnqueueReadBuffer(queue, mem, CL.CL_TRUE, 0, bytes, to, 0, null, null);
    }

    /** Enqueues a 1-D range of {@code items} (rounded up to the work-group size, 0 = the device's choice). */
    private void run(cl_kernel kernel, long items, int workGroup) {
        long[] local = workGroup == 0 ? null : new long[] {workGroup};
        long global = workGroup == 0 ? items : roundUp(items, workGroup);
        CL.clEnqueueNDRangeKernel(queue, kernel, 1, null, new long[] {global}, local, 0, null, null);
    }

    static void args(cl_kernel kernel, Object... values) {
        for (int i = 0; i < values.length; i++) {
            switch (values[i]) {
                case cl_mem m -> CL.clSetKernelArg(kernel, i, Sizeof.cl_mem, Pointer.to(m));
                case Integer v -> CL.clSetKernelArg(kernel, i, Sizeof.cl_int, Pointer.to(new int[] {v}));
                default -> throw new IllegalArgumentException("unsupported kernel argument " + values[i]);
            }
        }
    }

    /** A device buffer that grows to the largest size asked of it. */
    private static final class Scratch {
        cl_mem mem;
        long bytes;

        cl_mem ensure(OpenClDevice device, long needed) {
            if (mem == null || bytes < needed) {
                release();
                bytes = Math.max(needed, 64);
                mem = CL.clCreateBuffer(device.context, CL.CL_MEM_READ_WRITE, bytes, null, null);
            }
            return mem;
        }

        void release() {
            if (mem != null) {
                CL.clReleaseMemObject(mem);
                mem = null;
                bytes = 0;
            }
        }
    }
}
