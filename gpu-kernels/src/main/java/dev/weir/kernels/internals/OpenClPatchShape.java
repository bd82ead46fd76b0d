package dev.weir.kernels.internals;

import dev.weir.kernels.KernelUnavailableException;
import dev.weir.kernels.PatchGrid;
import dev.weir.kernels.PatchMeasures;
import dev.weir.kernels.PatchSelection;
import dev.weir.kernels.PatchStepResult;
import dev.weir.kernels.PatchStepSpec;
import dev.weir.kernels.ShapeCodebook;
import dev.weir.kernels.VideoKernels;
import org.jocl.CL;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_buffer_region;
import org.jocl.cl_command_queue;
import org.jocl.cl_event;
import org.jocl.cl_kernel;
import org.jocl.cl_mem;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fused patch step of one shape (grid, DC bits, stage codebooks) on one {@link OpenClVideoKernels}: the
 * kernel objects of {@code patch_step.cl}, the search, and the working buffers that every stream of the shape
 * uses in turn (frame, measures, selection, residual rows, stage indices, packet). A stream brings only its
 * resident reference picture ({@link OpenClPatchStep}), so streams of one shape share one plan. All commands go
 * to the device's one in-order queue with profiling on; each phase ends in one blocking read.
 *
 * <pre>
 *   phase 1: frame up → patch_measure → measures down (n·(4 + 12) bytes)
 *   phase 2: selection up → patchify_rows → per stage: nearest_*, subtract → repaint → packet down
 * </pre>
 * Not thread-safe (like its kernels). Released with the kernels.
 */
final class OpenClPatchShape {

    /** Work-group size of the per-patch kernels; WG_PATCH in video.cl. */
    private static final int WG_PATCH = 64;
    /** Work-group size of the one-item-per-patch kernels of CPU devices. */
    private static final int WG_SERIAL = 16;
    /** |residual| after patchify + DC removal: pixel (0..255) minus a DC value (0..255). */
    private static final int MAX_ABS_RESIDUAL = 255;

    final PatchStepSpec spec;
    private final OpenClVideoKernels kernels;
    private final OpenClDevice device;
    private final cl_command_queue queue;
    private final PatchGrid g;
    private final int n;
    private final int d;
    private final ShapeCodebook[] stages;
    /** max |x| of what stage t searches: 255, then what the stages before can add (the float-exact slice bound). */
    private final int[] inputBounds;
    private final OpenClSearch search;
    private final cl_kernel measure;
    private final cl_kernel patchifyRows;
    private final cl_kernel subtract;
    private final cl_kernel repaint;
    /** Whether the per-patch kernels run one item per patch (CPU devices) rather than a work-group per patch. */
    private final boolean serial;
    private final List<cl_kernel> kernelObjects = new ArrayList<>();
    private final List<cl_mem> buffers = new ArrayList<>();
    private final cl_mem frame;
    private final cl_mem measures;
    private final cl_mem squaredErrors;
    private final cl_mem cells;
    private final int cellsAt;
    private final cl_mem selection;
    private final cl_mem searched;
    private final cl_mem sentRows;
    private final int sentRowsAt;
    private final cl_mem dcCodes;
    private final cl_mem rows;
    private final cl_mem ids;
    private final cl_mem[] stageIds;
    private final int idsStride;
    private final cl_mem packet;
    private final cl_mem stageEntries;
    private final cl_mem stageOffsets;
    private final cl_mem stageShifts;
    private final ByteBuffer measuresHost;
    /** Staging for the frame and the selection: direct memory, so their writes need not wait (see {@link #stage}). */
    private final ByteBuffer frameHost;
    private final ByteBuffer selectionHost;
    private final int[] packetHost;
    private final long[] squaredErrorOut;
    private final byte[] cellsOut;
    /** Bytes of every buffer above. */
    final long bytes;
    private final List<Map.Entry<String, cl_event>> events = new ArrayList<>();
    private final Map<String, Long> stageNanos = new LinkedHashMap<>();
    private boolean closed;

    OpenClPatchShape(OpenClVideoKernels kernels, OpenClDevice device, OpenClSearch.Kernel searchKernel, PatchStepSpec spec) {
        this.kernels = kernels;
        this.device = device;
        this.queue = device.queue;
        this.spec = spec;
        this.g = spec.grid();
        this.n = g.patches();
        this.d = g.patchDim();
        this.stages = spec.stages().toArray(ShapeCodebook[]::new);
        this.inputBounds = inputBounds(kernels, stages, d);
        Layout layout = new Layout(spec, device.baseAddressAlignBytes);
        this.cellsAt = layout.cellsAt;
        this.sentRowsAt = layout.sentRowsAt;
        this.idsStride = layout.idsStride;
        this.serial = searchKernel == OpenClSearch.Kernel.PANEL;
        String variant = serial ? "_serial" : "";
        try {
            this.search = new OpenClSearch(device, device.program, queue, searchKernel);
            this.measure = kernel("patch_measure" + variant);
            this.patchifyRows = kernel("patchify_rows" + variant);
            this.subtract = kernel("subtract");
            this.repaint = kernel("repaint" + variant);
            int items = serial ? WG_SERIAL : WG_PATCH;
            if (!device.fits(measure, items) || !device.fits(patchifyRows, items) || !device.fits(repaint, items)) {
                throw new KernelUnavailableException(device.name + " cannot run the patch step's work-groups of "
                        + items + " items");
            }
            this.frame = buffer(g.rgbBytes());
            this.measures = buffer(layout.measuresBytes);
            this.squaredErrors = region(measures, 0, 4L * n);
            this.cells = region(measures, cellsAt, (long) VideoKernels.CELL_MEANS * n);
            this.selection = buffer(layout.selectionBytes);
            this.searched = region(selection, 0, 4L * n);
            this.sentRows = region(selection, sentRowsAt, 4L * n);
            this.dcCodes = buffer(12L * n);
            this.rows = buffer(2L * n * d);
            this.ids = buffer(layout.idsBytes);
            this.stageIds = new cl_mem[stages.length];
            for (int t = 0; t < stages.length; t++) {
                stageIds[t] = region(ids, 4L * t * idsStride, 4L * n);
            }
            this.packet = buffer(layout.packetBytes);
            byte[] entries = new byte[layout.entriesBytes];
            int[] offsets = new int[stages.length];
            int[] shifts = new int[stages.length];
            for (int t = 0, at = 0; t < stages.length; t++) {
                offsets[t] = at;
                shifts[t] = stages[t].scaleShift();
                System.arraycopy(stages[t].entries(), 0, entries, at, stages[t].entries().length);
                at += stages[t].entries().length;
            }
            this.stageEntries = buffer(entries.length, entries);
            this.stageOffsets = buffer(4L * offsets.length, offsets);
            this.stageShifts = buffer(4L * shifts.length, shifts);
            this.bytes = layout.bytes;
        } catch (RuntimeException e) {
            release();
            throw e;
        }
        this.measuresHost = ByteBuffer.allocateDirect(layout.measuresBytes).order(ByteOrder.nativeOrder());
        this.frameHost = ByteBuffer.allocateDirect(g.rgbBytes());
        this.selectionHost = ByteBuffer.allocateDirect(sentRowsAt + 4 * n).order(ByteOrder.nativeOrder());
        this.packetHost = new int[(4 + stages.length) * n];
        this.squaredErrorOut = new long[n];
        this.cellsOut = new byte[VideoKernels.CELL_MEANS * n];
    }

    /** Device bytes a shape of {@code spec} holds, without making one. */
    static long bytesFor(PatchStepSpec spec, OpenClDevice device) {
        return new Layout(spec, device.baseAddressAlignBytes).bytes;
    }

    /**
     * Where each buffer's regions start (a sub-buffer starts at a multiple of the device's base address
     * alignment) and what the shape holds in all.
     */
    private record Layout(int cellsAt, int measuresBytes, int sentRowsAt, int selectionBytes, int idsStride,
                          long idsBytes, long packetBytes, int entriesBytes, long bytes) {

        Layout(PatchStepSpec spec, long align) {
            this(spec.grid(), spec.stages().size(), (int) OpenClVideoKernels.roundUp(4L * spec.grid().patches(), align),
                    spec.stages().stream().mapToInt(s -> s.entries().length).sum(),
                    spec.stages().stream().mapToInt(s -> s.size()).max().orElse(0));
        }

        private Layout(PatchGrid g, int stages, int aligned, int entriesBytes, int maxEntries) {
            this(g, stages, aligned, entriesBytes, g.patches(),
                    // the search's partial (score, index) per row and panel of 16 entries (or chunk, fewer)
                    12L * g.patches() * ((maxEntries + OpenClSearch.PANEL_WIDTH - 1) / OpenClSearch.PANEL_WIDTH));
        }

        private Layout(PatchGrid g, int stages, int aligned, int entriesBytes, int n, long partialBytes) {
            this(aligned, aligned + VideoKernels.CELL_MEANS * n, aligned, aligned + 4 * n, aligned / 4,
                    (long) aligned * stages, 4L * (4 + stages) * n, entriesBytes,
                    (long) g.rgbBytes() + aligned + VideoKernels.CELL_MEANS * n + aligned + 4L * n + 12L * n
                            + 2L * n * g.patchDim() + (long) aligned * stages + 4L * (4 + stages) * n + entriesBytes
                            + 8L * stages + partialBytes);
        }
    }

    PatchMeasures measure(cl_mem reference, byte[] rgb) {
        ensureOpen();
        releaseEvents();
        stageNanos.clear();
        frameHost.put(0, rgb);
        stage("frame-up", frame, frameHost, rgb.length);
        if (serial) {
            OpenClVideoKernels.args(measure, frame, reference, g.width(), g.height(), g.patch(), g.columns(), n,
                    squaredErrors, cells);
            enqueue("measure", measure, n, WG_SERIAL);
        } else {
            OpenClVideoKernels.args(measure, frame, reference, g.width(), g.height(), g.patch(), g.columns(), squaredErrors,
                    cells);
            enqueue("measure", measure, (long) n * WG_PATCH, WG_PATCH);
        }
        read("measures-down", measures, Pointer.to(measuresHost), cellsAt + (long) VideoKernels.CELL_MEANS * n);
        for (int i = 0; i < n; i++) {
            squaredErrorOut[i] = measuresHost.getInt(4 * i);
        }
        measuresHost.get(cellsAt, cellsOut, 0, cellsOut.length);
        collectStageNanos();
        return new PatchMeasures(n, squaredErrorOut, cellsOut);
    }

    PatchStepResult encode(cl_mem reference, PatchSelection selected, int[] sentRowsOfSent) {
        ensureOpen();
        int[] positions = selected.searched();
        int m = positions.length;
        int k = selected.sent().length;
        int stageCount = stages.length;
        if (m == 0) {
            return new PatchStepResult(new int[0], new int[0], new int[0], new int[0]);
        }
        selectionHost.asIntBuffer().put(0, positions, 0, m).put(sentRowsAt / 4, sentRowsOfSent, 0, k);
        stage("selection-up", selection, selectionHost, sentRowsAt + 4L * k);
        if (serial) {
            OpenClVideoKernels.args(patchifyRows, frame, g.width(), g.height(), g.patch(), g.columns(), spec.dcBits(), m,
                    searched, dcCodes, rows);
            enqueue("patchify", patchifyRows, m, WG_SERIAL);
        } else {
            OpenClVideoKernels.args(patchifyRows, frame, g.width(), g.height(), g.patch(), g.columns(), spec.dcBits(),
                    searched, dcCodes, rows);
            enqueue("patchify", patchifyRows, (long) m * WG_PATCH, WG_PATCH);
        }
        for (int t = 0; t < stageCount; t++) {
            OpenClVideoKernels.DeviceCodebook q = kernels.deviceCodebook(stages[t]);
            List<cl_event> searchEvents = new ArrayList<>();
            search.enqueue(rows, m, d, q, stages[t].size(), inputBounds[t], stageIds[t], searchEvents);
            String name = "search-" + t;
            searchEvents.forEach(event -> events.add(Map.entry(name, event)));
            if (t + 1 < stageCount) {
                OpenClVideoKernels.args(subtract, rows, m, d, q.entries(), stages[t].scaleShift(), stageIds[t]);
                enqueue("subtract-" + t, subtract, (long) m * d, WG_PATCH);
            }
        }
        int[] dc = new int[3 * k];
        int[] shapes = new int[stageCount * k];
        int[] errorAtSend = new int[k];
        if (k > 0) {
            OpenClVideoKernels.args(repaint, frame, reference, g.width(), g.height(), g.patch(), g.columns(), spec.dcBits(),
                    searched, sentRows, k, dcCodes, ids, idsStride, stageEntries, stageOffsets, stageShifts, stageCount,
                    packet);
            enqueue("repaint", repaint, serial ? k : (long) k * WG_PATCH, serial ? WG_SERIAL : WG_PATCH);
            read("packet-down", packet, Pointer.to(packetHost), 4L * (4 + stageCount) * k);
            System.arraycopy(packetHost, 0, dc, 0, 3 * k);
            System.arraycopy(packetHost, 3 * k, shapes, 0, stageCount * k);
            System.arraycopy(packetHost, (3 + stageCount) * k, errorAtSend, 0, k);
        } else {
            CL.clFinish(queue);
        }
        collectStageNanos();
        return new PatchStepResult(selected.sent().clone(), dc, shapes, errorAtSend);
    }

    /** Device time of each stage of the last execution (both phases), from the queue's profiling. */
    Map<String, Long> lastStageNanos() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(stageNanos));
    }

    void writeReference(cl_mem reference, byte[] picture) {
        ensureOpen();
        CL.clEnqueueWriteBuffer(queue, reference, CL.CL_TRUE, 0, picture.length, Pointer.to(picture), 0, null, null);
    }

    byte[] readReference(cl_mem reference) {
        ensureOpen();
        byte[] picture = new byte[g.rgbBytes()];
        CL.clEnqueueReadBuffer(queue, reference, CL.CL_TRUE, 0, picture.length, Pointer.to(picture), 0, null, null);
        return picture;
    }

    String device() {
        return "opencl:" + device.name;
    }

    void close() {
        if (!closed) {
            closed = true;
            releaseEvents();
            release();
        }
    }

    // ---------------------------------------------------------------------------------------------

    /**
     * The bound on |x| searched by each stage: 255 for the residuals of patchify; each stage then subtracts
     * 2^s·q with |q| ≤ its max. Refuses a codebook set for which an int dot product could overflow.
     */
    private static int[] inputBounds(OpenClVideoKernels kernels, ShapeCodebook[] stages, int d) {
        int[] bounds = new int[stages.length];
        long bound = MAX_ABS_RESIDUAL;
        for (int t = 0; t < stages.length; t++) {
            int maxQ = kernels.deviceCodebook(stages[t]).maxAbs();
            if ((long) d * bound * maxQ > Integer.MAX_VALUE) {
                throw new KernelUnavailableException("stage " + t + " could search residuals up to ±" + bound
                        + ", beyond the exact int range of the device search");
            }
            bounds[t] = (int) bound;
            bound += (long) maxQ << stages[t].scaleShift();
        }
        return bounds;
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("the fused patch step on " + device.name + " is closed");
        }
    }

    private cl_kernel kernel(String name) {
        cl_kernel kernel = CL.clCreateKernel(device.program, name, null);
        kernelObjects.add(kernel);
        return kernel;
    }

    private cl_mem buffer(long size) {
        cl_mem mem = CL.clCreateBuffer(device.context, CL.CL_MEM_READ_WRITE, Math.max(size, 64), null, null);
        buffers.add(mem);
        return mem;
    }

    private cl_mem buffer(long size, byte[] contents) {
        cl_mem mem = CL.clCreateBuffer(device.context, CL.CL_MEM_READ_ONLY | CL.CL_MEM_COPY_HOST_PTR, size,
                Pointer.to(contents), null);
        buffers.add(mem);
        return mem;
    }

    private cl_mem buffer(long size, int[] contents) {
        cl_mem mem = CL.clCreateBuffer(device.context, CL.CL_MEM_READ_ONLY | CL.CL_MEM_COPY_HOST_PTR, size,
                Pointer.to(contents), null);
        buffers.add(mem);
        return mem;
    }

    /** A sub-buffer of {@code parent}; {@code origin} is a multiple of the device's base address alignment. */
    private cl_mem region(cl_mem parent, long origin, long size) {
        cl_mem mem = CL.clCreateSubBuffer(parent, CL.CL_MEM_READ_WRITE, CL.CL_BUFFER_CREATE_TYPE_REGION,
                new cl_buffer_region(origin, Math.max(size, 4)), null);
        buffers.addFirst(mem); // released before its parent
        return mem;
    }

    private void release() {
        buffers.forEach(CL::clReleaseMemObject);
        buffers.clear();
        kernelObjects.forEach(CL::clReleaseKernel);
        kernelObjects.clear();
        if (search != null) {
            search.release();
        }
    }

    /**
     * A write that does not wait: from a direct staging buffer, which nothing touches again before the phase's
     * blocking read, behind this write on the in-order queue, has returned. One wait for the device per phase.
     */
    private void stage(String stage, cl_mem mem, ByteBuffer from, long size) {
        cl_event event = new cl_event();
        CL.clEnqueueWriteBuffer(queue, mem, CL.CL_FALSE, 0, size, Pointer.to(from), 0, null, event);
        events.add(Map.entry(stage, event));
    }

    private void read(String stage, cl_mem mem, Pointer to, long size) {
        cl_event event = new cl_event();
        CL.clEnqueueReadBuffer(queue, mem, CL.CL_TRUE, 0, size, to, 0, null, event);
        events.add(Map.entry(stage, event));
    }

    /**
     * Enqueues a 1-D range of {@code items} rounded up to work-groups of {@code workGroup} items: always a fixed
     * size, since PoCL compiles a kernel anew for every local size it meets.
     */
    private void enqueue(String stage, cl_kernel kernel, long items, int workGroup) {
        cl_event event = new cl_event();
        CL.clEnqueueNDRangeKernel(queue, kernel, 1, null, new long[] {OpenClVideoKernels.roundUp(items, workGroup)},
                new long[] {workGroup}, 0, null, event);
        events.add(Map.entry(stage, event));
    }

    /** Adds each stage's command times (end − start, from the queue's profiling) to its total. */
    private void collectStageNanos() {
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
