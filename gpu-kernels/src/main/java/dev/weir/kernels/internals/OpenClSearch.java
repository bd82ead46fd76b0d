package dev.weir.kernels.internals;

import org.jocl.CL;
import org.jocl.cl_command_queue;
import org.jocl.cl_event;
import org.jocl.cl_kernel;
import org.jocl.cl_mem;
import org.jocl.cl_program;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The nearest-codebook search on one OpenCL device and queue: chooses among the search kernels of
 * {@code video.cl}, which all give the same indices, and enqueues it. One per queue (kernel objects hold
 * their arguments); not thread-safe.
 */
final class OpenClSearch {

    private static final Logger LOG = LoggerFactory.getLogger(OpenClSearch.class);

    /** The search kernels. Every one returns exactly the same indices; they differ only in speed. */
    enum Kernel {
        /** {@code nearest}: 16×16 tiles, all-int; the choice for |x| beyond the float-exact range. */
        TILED,
        /** {@code nearest_panel} + {@code nearest_reduce}: the jvm backend's packed-panel micro-kernel, for CPU devices (PoCL). */
        PANEL,
        /** {@code nearest_blocked}: 64×64 block per work-group, 4×4 per item, float slices of 16 components. */
        BLOCKED,
        /** {@code nearest_split} + {@code nearest_reduce}: 128×128 blocks, 8×8 per item, entries split across work-groups. */
        SPLIT,
        /** BLOCKED or SPLIT, whichever ran faster on this device the first time a search of this shape came (GPUs). */
        TUNED;

        static Kernel forDevice(boolean gpu) {
            return gpu ? TUNED : PANEL;
        }

        static Kernel parse(String name) {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        }
    }

    private static final int TILE = 16;
    private static final int BLOCK = 64;
    private static final int SPLIT_ROWS = 128;
    private static final int SPLIT_K = 16;
    /** Entries per panel of nearest_panel (PANEL in video.cl) and rows per item. */
    static final int PANEL_WIDTH = 16;
    private static final int PANEL_ROWS = 4;
    /**
     * Row blocks per work-group of nearest_panel: a CPU runs a work-group's items one after the other, so one
     * panel (16 entries · d floats, 48 KiB at d = 768) stays in cache while 16 blocks of 4 rows pass it.
     */
    private static final int PANEL_GROUP = 16;
    private static final int REDUCE_GROUP = 64;
    /** Float32 represents every integer up to 2^24 exactly. */
    private static final long FLOAT_EXACT = 1L << 24;
    /** Work-groups per compute unit the split aims for, so that small batches still fill the device. */
    private static final int GROUPS_PER_UNIT = 4;

    private final OpenClDevice device;
    private final cl_command_queue queue;
    private final Kernel kernel;
    private final cl_kernel tiled;
    private final cl_kernel panel;
    private final cl_kernel blocked;
    private final cl_kernel split;
    private final cl_kernel reduce;
    /** Whether the device can run 16×16 work-groups of each register-heavy kernel (CL_KERNEL_WORK_GROUP_SIZE). */
    private final boolean blockedFits;
    private final boolean splitFits;
    private cl_mem partialScores;
    private cl_mem partialIds;
    private long partialCapacity;

    OpenClSearch(OpenClDevice device, cl_program program, cl_command_queue queue, Kernel kernel) {
        this.device = device;
        this.queue = queue;
        this.kernel = kernel;
        List<cl_kernel> created = new ArrayList<>();
        try {
            this.tiled = create(program, "nearest", created);
            this.panel = create(program, "nearest_panel", created);
            this.blocked = create(program, "nearest_blocked", created);
            this.split = create(program, "nearest_split", created);
            this.reduce = create(program, "nearest_reduce", created);
            this.blockedFits = device.fits(blocked, TILE * TILE);
            this.splitFits = device.fits(split, TILE * TILE);
        } catch (RuntimeException e) {
            created.forEach(CL::clReleaseKernel);
            throw e;
        }
    }

    Kernel kernel() {
        return kernel;
    }

    /**
     * Enqueues the search of {@code count} vectors of {@code d} components in {@code x} (|x| ≤ maxAbsX) in
     * the codebook {@code q} (|q| ≤ maxAbsQ), indices to {@code indices}. Returns the kernel used.
     *
     * @param events where the enqueued commands' events go, or null
     */
    Kernel enqueue(cl_mem x, int count, int d, OpenClVideoKernels.DeviceCodebook q, int size, int maxAbsX,
                   cl_mem indices, List<cl_event> events) {
        if (count == 0) {
            return kernel;
        }
        int slice = floatSlice(maxAbsX, q.maxAbs(), d);
        Kernel chosen = slice == 0 ? Kernel.TILED : kernel == Kernel.TUNED ? tuned(x, count, d, q, size, slice, indices) : kernel;
        if (chosen == Kernel.PANEL && q.panels() == null) {
            chosen = Kernel.TILED; // a codebook uploaded without its float panels
        }
        if ((chosen == Kernel.BLOCKED && !blockedFits) || (chosen == Kernel.SPLIT && !splitFits)) {
            chosen = Kernel.TILED; // the device cannot run 256 items of it (registers)
        }
        run(chosen, x, count, d, q, size, slice, indices, events);
        return chosen;
    }

    void release() {
        for (cl_kernel k : new cl_kernel[] {tiled, panel, blocked, split, reduce}) {
            CL.clReleaseKernel(k);
        }
        releasePartials();
    }

    /**
     * Components per exact float slice: the largest multiple of 16 with slice · max|x| · max|q| ≤ 2^24, at
     * most d rounded up; 0 when even 16 components are not exact (then only the all-int kernel is).
     */
    static int floatSlice(int maxAbsX, int maxAbsQ, int d) {
        long product = Math.max(1L, (long) maxAbsX * Math.max(1, maxAbsQ));
        long slice = FLOAT_EXACT / product / SPLIT_K * SPLIT_K;
        if (slice < SPLIT_K) {
            return 0;
        }
        return (int) Math.min(slice, (d + SPLIT_K - 1L) / SPLIT_K * SPLIT_K);
    }

    private void run(Kernel which, cl_mem x, int count, int d, OpenClVideoKernels.DeviceCodebook q, int size, int slice,
                     cl_mem indices, List<cl_event> events) {
        switch (which) {
            case TILED -> {
                OpenClVideoKernels.args(tiled, x, count, d, q.entries(), q.scaledNorms(), size, indices);
                enqueue(tiled, new long[] {TILE, TILE * groups(count, TILE)}, events);
            }
            case PANEL -> {
                int panels = (int) groups(size, PANEL_WIDTH);
                long rowBlocks = groups(count, PANEL_ROWS);
                ensurePartials((long) count * panels);
                OpenClVideoKernels.args(panel, x, count, d, q.panels(), q.scaledNorms(), size, slice, partialScores,
                        partialIds);
                // fixed work-group sizes: PoCL compiles a kernel anew for every local size it meets
                CL.clEnqueueNDRangeKernel(queue, panel, 2, null, new long[] {groups(rowBlocks, PANEL_GROUP) * PANEL_GROUP,
                        panels}, new long[] {PANEL_GROUP, 1}, 0, null, events == null ? null : record(events));
                reduce(count, panels, indices, events);
            }
            case BLOCKED -> {
                // nearest_blocked's slices are fixed at 16 components: exact whenever any slice is.
                OpenClVideoKernels.args(blocked, x, count, d, q.entries(), q.scaledNorms(), size, indices);
                enqueue(blocked, new long[] {TILE, TILE * groups(count, BLOCK)}, events);
            }
            case SPLIT -> {
                long rowGroups = groups(count, SPLIT_ROWS);
                long entryBlocks = groups(size, SPLIT_ROWS);
                long wanted = (long) GROUPS_PER_UNIT * device.computeUnits;
                long chunksInBlocks = Math.clamp((wanted + rowGroups - 1) / rowGroups, 1, entryBlocks);
                int chunk = (int) (groups(entryBlocks, chunksInBlocks) * SPLIT_ROWS);
                int chunks = (int) groups(size, chunk);
                ensurePartials((long) count * chunks);
                OpenClVideoKernels.args(split, x, count, d, q.entries(), q.scaledNorms(), size, chunk, slice,
                        partialScores, partialIds);
                enqueue(split, new long[] {(long) TILE * chunks, TILE * rowGroups}, events);
                reduce(count, chunks, indices, events);
            }
            case TUNED -> throw new IllegalStateException("TUNED is resolved before running");
        }
    }

    /** nearest_reduce: the lowest (score, j) of each row over its chunks, in work-groups of a fixed size. */
    private void reduce(int count, int chunks, cl_mem indices, List<cl_event> events) {
        OpenClVideoKernels.args(reduce, partialScores, partialIds, count, chunks, indices);
        CL.clEnqueueNDRangeKernel(queue, reduce, 1, null, new long[] {groups(count, REDUCE_GROUP) * REDUCE_GROUP},
                new long[] {REDUCE_GROUP}, 0, null, events == null ? null : record(events));
    }

    /**
     * The faster of BLOCKED and SPLIT for this shape on this device: the first search of a shape runs both
     * (twice, timing the second run of each) and the choice is kept for the device's lifetime.
     */
    private Kernel tuned(cl_mem x, int count, int d, OpenClVideoKernels.DeviceCodebook q, int size, int slice,
                         cl_mem indices) {
        String shape = "rows<=" + Integer.highestOneBit(Math.max(1, count - 1)) * 2 + " K=" + size + " d=" + d;
        return device.searchChoices.computeIfAbsent(shape, s -> {
            long blockedNanos = blockedFits ? time(Kernel.BLOCKED, x, count, d, q, size, slice, indices) : Long.MAX_VALUE;
            long splitNanos = splitFits ? time(Kernel.SPLIT, x, count, d, q, size, slice, indices) : Long.MAX_VALUE;
            Kernel best = splitNanos < blockedNanos ? Kernel.SPLIT : blockedFits ? Kernel.BLOCKED : Kernel.TILED;
            LOG.info("OpenCL search on {} for {}: blocked {} us, split {} us: {}", device.name, s, blockedNanos / 1000,
                    splitNanos / 1000, best);
            return best;
        });
    }

    private long time(Kernel which, cl_mem x, int count, int d, OpenClVideoKernels.DeviceCodebook q, int size, int slice,
                      cl_mem indices) {
        run(which, x, count, d, q, size, slice, indices, null);
        CL.clFinish(queue);
        long start = System.nanoTime();
        run(which, x, count, d, q, size, slice, indices, null);
        CL.clFinish(queue);
        return System.nanoTime() - start;
    }

    private void enqueue(cl_kernel k, long[] global, List<cl_event> events) {
        CL.clEnqueueNDRangeKernel(queue, k, 2, null, global, new long[] {TILE, TILE}, 0, null,
                events == null ? null : record(events));
    }

    private static cl_event record(List<cl_event> events) {
        cl_event event = new cl_event();
        events.add(event);
        return event;
    }

    private void ensurePartials(long entries) {
        if (entries > partialCapacity) {
            releasePartials();
            cl_mem scores = CL.clCreateBuffer(device.context, CL.CL_MEM_READ_WRITE, 8L * entries, null, null);
            try {
                partialIds = CL.clCreateBuffer(device.context, CL.CL_MEM_READ_WRITE, 4L * entries, null, null);
            } catch (RuntimeException e) {
                CL.clReleaseMemObject(scores);
                throw e;
            }
            partialScores = scores;
            partialCapacity = entries;
        }
    }

    private void releasePartials() {
        if (partialScores != null) {
            CL.clReleaseMemObject(partialScores);
            CL.clReleaseMemObject(partialIds);
            partialScores = null;
            partialIds = null;
            partialCapacity = 0;
        }
    }

    private static long groups(long items, long perGroup) {
        return (items + perGroup - 1) / perGroup;
    }

    private static cl_kernel create(cl_program program, String name, List<cl_kernel> created) {
        cl_kernel k = CL.clCreateKernel(program, name, null);
        created.add(k);
        return k;
    }
}
