package dev.weir.kernels.internals;

import dev.weir.kernels.DeviceLimits;
import dev.weir.kernels.DeviceUse;
import dev.weir.kernels.KernelUnavailableException;
import dev.weir.kernels.PatchGrid;
import dev.weir.kernels.PatchStepSpec;
import dev.weir.kernels.ShapeCodebook;
import dev.weir.kernels.VideoKernels;
import org.jocl.CL;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_command_queue;
import org.jocl.cl_kernel;
import org.jocl.cl_mem;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The {@code opencl} backend: the OpenCL C 1.2 kernels of {@code video.cl} through JOCL, on one device, on the
 * process's one queue of that device ({@link OpenClDevice}). Codebooks are uploaded once and stay device-resident
 * (retained ones until released, others in a small least-recently-used cache); scratch buffers grow to the
 * largest request and are reused. A stream's whole patch step can run on the device instead of kernel by kernel
 * ({@link #openPatchStep}): streams of one shape share its plan ({@link OpenClPatchShape}) and each holds its
 * reference picture there, within the {@link DeviceLimits}. Not thread-safe: one per stream task.
 */
public final class OpenClVideoKernels implements VideoKernels, FusedPatchSteps {

    /** Work-group size of per-patch kernels; must match WG_PATCH in video.cl. */
    private static final int WG_PATCH = 64;
    private static final int CACHED_CODEBOOKS = 8;
    /** Stages the reconstruct kernel takes at once (reconstruct_patches in video.cl). */
    private static final int RECONSTRUCT_STAGES = 4;

    private final OpenClDevice device;
    private final String selectionReason;
    private final cl_command_queue queue;
    private final cl_kernel patchify;
    private final OpenClSearch search;
    private final cl_kernel subtract;
    private final cl_kernel reconstruct;
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
    private final Scratch out = new Scratch();
    private boolean closed;

    private final OpenClSearch.Kernel searchKernel;
    private final DeviceLimits limits;
    /** Direct staging of reconstruct's codes, so their write need not wait. */
    private ByteBuffer codesHost;
    private final Map<PatchStepSpec, OpenClPatchShape> shapes = new LinkedHashMap<>();
    private final Set<OpenClPatchStep> steps = Collections.newSetFromMap(new WeakHashMap<>());
    private final AtomicInteger streams = new AtomicInteger();
    private final AtomicLong heldBytes = new AtomicLong();
    private final AtomicLong fallbacks = new AtomicLong();

    private OpenClVideoKernels(OpenClDevice device, String selectionReason, OpenClSearch.Kernel searchKernel,
                               DeviceLimits limits) {
        this.device = device;
        this.searchKernel = searchKernel;
        this.selectionReason = selectionReason;
        this.limits = limits;
        this.queue = device.queue;
        try {
            this.patchify = kernel("patchify");
            this.subtract = kernel("subtract");
            this.reconstruct = kernel("reconstruct_patches");
            this.patchSquaredError = kernel("patch_squared_error");
            this.squaredError = kernel("squared_error");
            this.search = new OpenClSearch(device, device.program, queue, searchKernel);
        } catch (RuntimeException e) {
            kernelObjects.forEach(CL::clReleaseKernel); // or every failed open leaks kernels
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

    /** As {@link #open(String, boolean)}, with the device memory limits of its streams. */
    public static VideoKernels open(String deviceFilter, boolean gpuOnly, DeviceLimits limits) {
        return open(deviceFilter, gpuOnly, null, limits);
    }

    /**
     * As {@link #open(String, boolean)}, choosing the search kernel by name: {@code panel} (packed panels of 16
     * entries, the default and the fastest on CPU OpenCL such as PoCL), {@code tiled} (all-int 16×16 tiles),
     * {@code blocked} (64×64 register-blocked), {@code split}
     * (128×128 register-blocked, entries split across work-groups), {@code tuned} (blocked or split, whichever
     * the device runs faster for each search shape; the default on GPUs), or null for the device's default.
     * All give the same indices.
     */
    public static VideoKernels open(String deviceFilter, boolean gpuOnly, String searchKernel) {
        return open(deviceFilter, gpuOnly, searchKernel, DeviceLimits.defaults());
    }

    private static VideoKernels open(String deviceFilter, boolean gpuOnly, String searchKernel, DeviceLimits limits) {
        OpenClDevice device = OpenClDevice.select(deviceFilter, gpuOnly);
        OpenClSearch.Kernel kernel = searchKernel == null ? OpenClSearch.Kernel.forDevice(device.gpu)
                : OpenClSearch.Kernel.parse(searchKernel);
        try {
            return new DeviceFaultBoundary(new OpenClVideoKernels(device, gpuOnly ? "OpenCL GPU present: " + device.name : "",
                    kernel, limits));
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
     * A stream's whole patch step on this device. Its reference picture ({@code rgbBytes}) is the stream's own;
     * the working buffers are its shape's, shared with every stream of that shape on these kernels. A stream
     * whose step needs more than {@link DeviceLimits#streamBytes()}, or that would take the process's streams past
     * {@link DeviceLimits#totalOn}, is refused with a {@link DeviceMemoryException} and counted as a fallback.
     */
    @Override
    public PatchStep openPatchStep(PatchStepSpec spec) {
        ensureOpen();
        OpenClPatchShape shape = shapes.get(spec);
        long pictureBytes = spec.grid().rgbBytes();
        long shapeBytes = shape != null ? shape.bytes : OpenClPatchShape.bytesFor(spec, device);
        String size = spec.grid().width() + "x" + spec.grid().height() + "/" + spec.grid().patch();
        if (pictureBytes + shapeBytes > limits.streamBytes()) {
            fallbacks.incrementAndGet();
            throw new DeviceMemoryException("a " + size + " stream needs " + (pictureBytes + shapeBytes) + " bytes on "
                    + device.name + ", above weir.kernels.device.stream.bytes = " + limits.streamBytes());
        }
        long reserve = pictureBytes + (shape == null ? shapeBytes : 0);
        long total = limits.totalOn(device.globalMemBytes);
        if (!device.reserve(reserve, total)) {
            fallbacks.incrementAndGet();
            throw new DeviceMemoryException("a " + size + " stream needs " + reserve + " more bytes on " + device.name
                    + ", whose streams hold " + device.reservedBytes() + " of weir.kernels.device.total.bytes = " + total);
        }
        try {
            if (shape == null) {
                shape = new OpenClPatchShape(this, device, searchKernel, spec);
                shapes.put(spec, shape);
                heldBytes.addAndGet(shapeBytes);
            }
            cl_mem reference = CL.clCreateBuffer(device.context, CL.CL_MEM_READ_WRITE, pictureBytes, null, null);
            CL.clEnqueueFillBuffer(queue, reference, Pointer.to(new byte[] {0}), 1, 0, pictureBytes, 0, null, null);
            CL.clFinish(queue);
            streams.incrementAndGet();
            heldBytes.addAndGet(pictureBytes);
            OpenClPatchStep step = new OpenClPatchStep(shape, reference, pictureBytes, () -> {
                device.free(pictureBytes);
                heldBytes.addAndGet(-pictureBytes);
                streams.decrementAndGet();
            });
            steps.add(step);
            return step;
        } catch (CLException e) {
            device.free(shapes.containsKey(spec) ? pictureBytes : reserve);
            if (e.getStatus() == CL.CL_MEM_OBJECT_ALLOCATION_FAILURE || e.getStatus() == CL.CL_OUT_OF_RESOURCES) {
                fallbacks.incrementAndGet();
                throw new DeviceMemoryException("a " + size + " stream cannot allocate its buffers on " + device.name
                        + ": " + e.getMessage());
            }
            throw new KernelUnavailableException("the fused patch step cannot start on " + device.name + ": "
                    + e.getMessage(), e);
        } catch (RuntimeException e) {
            device.free(shapes.containsKey(spec) ? pictureBytes : reserve);
            throw e;
        }
    }

    @Override
    public DeviceUse deviceUse() {
        return new DeviceUse(streams.get(), heldBytes.get(), fallbacks.get());
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

    /**
     * One kernel computes the listed patches' pixels (up to {@link #RECONSTRUCT_STAGES} stages; more are decoded on
     * the host, exactly the same), which come down and are written into the frame where they lie inside it: the
     * frame never goes up.
     */
    @Override
    public void reconstruct(byte[] frame, PatchGrid g, int dcBits, int[] patchIds, int count,
                            int[] dcCodes, int[] shapeIds, ShapeCodebook[] stages) {
        KernelChecks.dcBits(dcBits);
        KernelChecks.reconstruct(frame, g, patchIds, count, dcCodes, shapeIds, stages);
        if (count == 0) {
            return;
        }
        if (stages.length > RECONSTRUCT_STAGES) {
            host.reconstruct(frame, g, dcBits, patchIds, count, dcCodes, shapeIds, stages);
            return;
        }
        int d = g.patchDim();
        int codeCount = (3 + stages.length) * count;
        if (codesHost == null || codesHost.capacity() < 4 * codeCount) {
            codesHost = ByteBuffer.allocateDirect(4 * codeCount).order(ByteOrder.nativeOrder());
        }
        codesHost.asIntBuffer().put(0, dcCodes, 0, 3 * count).put(3 * count, shapeIds, 0, stages.length * count);
        cl_mem codesMem = ints.ensure(device, 4L * codeCount);
        // no wait: the blocking read of the pixels below comes after it on the in-order queue
        CL.clEnqueueWriteBuffer(queue, codesMem, CL.CL_FALSE, 0, 4L * codeCount, Pointer.to(codesHost), 0, null, null);
        Object[] arguments = new Object[6 + 2 * RECONSTRUCT_STAGES];
        cl_mem pixels = frameA.ensure(device, (long) count * d);
        arguments[0] = pixels;
        arguments[1] = count;
        arguments[2] = d;
        arguments[3] = dcBits;
        arguments[4] = codesMem;
        arguments[5] = stages.length;
        for (int t = 0; t < RECONSTRUCT_STAGES; t++) {
            ShapeCodebook stage = stages[Math.min(t, stages.length - 1)];
            arguments[6 + 2 * t] = upload(stage).entries;
            arguments[7 + 2 * t] = stage.scaleShift();
        }
        args(reconstruct, arguments);
        run(reconstruct, (long) count * d, 0);
        byte[] patches = new byte[count * d];
        read(pixels, Pointer.to(patches), patches.length);
        int p = g.patch();
        for (int r = 0; r < count; r++) {
            int y0 = (patchIds[r] / g.columns()) * p;
            int x0 = (patchIds[r] % g.columns()) * p;
            int rowBytes = 3 * Math.min(p, g.width() - x0);
            for (int py = 0; py < p && y0 + py < g.height(); py++) {
                System.arraycopy(patches, r * d + py * p * 3, frame, ((y0 + py) * g.width() + x0) * 3, rowBytes);
            }
        }
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
    public void close() {
        if (closed) {
            return;
        }
        new ArrayList<>(steps).forEach(OpenClPatchStep::close);
        steps.clear();
        for (OpenClPatchShape shape : shapes.values()) {
            shape.close();
            device.free(shape.bytes);
            heldBytes.addAndGet(-shape.bytes);
        }
        shapes.clear();
        closed = true;
        for (DeviceCodebook q : codebooks.values()) {
            q.release();
        }
        codebooks.clear();
        retained.clear();
        for (Scratch s : new Scratch[] {frameA, frameB, ints, shorts, out}) {
            s.release();
        }
        kernelObjects.forEach(CL::clReleaseKernel);
        search.release();
        host.close();
    }

    // ---------------------------------------------------------------------------------------------

    /**
     * A codebook on the device: entries as char, 2^s·‖q_j‖² as long, and, for the {@code panel} search of CPU
     * devices, the entries as float in panels of 16 (null otherwise).
     */
    record DeviceCodebook(cl_mem entries, cl_mem scaledNorms, cl_mem panels, int maxAbs) {
        void release() {
            CL.clReleaseMemObject(entries);
            CL.clReleaseMemObject(scaledNorms);
            if (panels != null) {
                CL.clReleaseMemObject(panels);
            }
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
        cl_mem panels = null;
        if (searchKernel == OpenClSearch.Kernel.PANEL) {
            float[] packed = panels(cb);
            panels = CL.clCreateBuffer(device.context, CL.CL_MEM_READ_ONLY | CL.CL_MEM_COPY_HOST_PTR,
                    4L * packed.length, Pointer.to(packed), null);
        }
        q = new DeviceCodebook(entries, scaledNorms, panels, maxAbs);
        codebooks.put(cb, q);
        trimCodebooks();
        return q;
    }

    /** The entries in panels of 16, component-major, as float (exact: |q| ≤ 127), zero past K: nearest_panel's layout. */
    private static float[] panels(ShapeCodebook cb) {
        int width = OpenClSearch.PANEL_WIDTH;
        int d = cb.dim();
        int panels = (cb.size() + width - 1) / width;
        float[] packed = new float[panels * d * width];
        byte[] q = cb.entries();
        for (int j = 0; j < cb.size(); j++) {
            int base = (j / width) * d * width + j % width;
            for (int k = 0; k < d; k++) {
                packed[base + k * width] = q[j * d + k];
            }
        }
        return packed;
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

    /**
     * Enqueues a 1-D range of {@code items}, rounded up to the work-group size (0: WG_PATCH). Always a fixed
     * work-group size: PoCL compiles a kernel anew for every local size it meets, and the device's own choice
     * follows the global size.
     */
    private void run(cl_kernel kernel, long items, int workGroup) {
        int local = workGroup == 0 ? WG_PATCH : workGroup;
        CL.clEnqueueNDRangeKernel(queue, kernel, 1, null, new long[] {roundUp(items, local)}, new long[] {local}, 0, null, null);
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
