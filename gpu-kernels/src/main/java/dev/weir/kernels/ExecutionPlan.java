package dev.weir.kernels;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An immutable, executable {@link TaskGraph}: persistent codebooks were made resident on the backend
 * when the plan was built and stay so until {@link #close()}; {@link #execute()} runs the tasks in
 * order. Keep one plan per stream shape and reuse it. Not thread-safe (like its {@link VideoKernels}).
 */
public final class ExecutionPlan implements AutoCloseable {

    private final String name;
    private final VideoKernels kernels;
    private final List<DeviceBuffer> buffers;
    private final List<ShapeCodebook> residentCodebooks;
    private final Map<String, TaskGraph.Task> tasks;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final Map<String, Long> lastNanos = new LinkedHashMap<>();
    private final Map<String, Long> lastCpuNanos = new LinkedHashMap<>();
    private long executions;
    private boolean closed;

    ExecutionPlan(String name, VideoKernels kernels, List<DeviceBuffer> buffers,
                  List<ShapeCodebook> residentCodebooks, Map<String, TaskGraph.Task> tasks) {
        this.name = name;
        this.kernels = kernels;
        this.buffers = buffers;
        this.residentCodebooks = residentCodebooks;
        this.tasks = tasks;
        for (ShapeCodebook codebook : residentCodebooks) {
            kernels.retain(codebook);
        }
        for (String task : tasks.keySet()) {
            lastNanos.put(task, 0L);
            lastCpuNanos.put(task, 0L);
        }
    }

    /** Runs every task once, in declaration order. */
    public void execute() {
        if (closed) {
            throw new IllegalStateException("execution plan " + name + " is closed");
        }
        for (Map.Entry<String, TaskGraph.Task> task : tasks.entrySet()) {
            long cpu = THREADS.getCurrentThreadCpuTime();
            long start = System.nanoTime();
            task.getValue().run(kernels);
            lastNanos.put(task.getKey(), System.nanoTime() - start);
            lastCpuNanos.put(task.getKey(), THREADS.getCurrentThreadCpuTime() - cpu);
        }
        executions++;
    }

    public String name() {
        return name;
    }

    /** The backend the plan runs on. */
    public VideoKernels kernels() {
        return kernels;
    }

    public List<DeviceBuffer> buffers() {
        return buffers;
    }

    public List<String> tasks() {
        return List.copyOf(tasks.keySet());
    }

    /** How many times {@link #execute()} completed. */
    public long executions() {
        return executions;
    }

    /** Bytes declared {@link Residency#PER_EXECUTION}: what moves between host and device per execution. */
    public long transferBytesPerExecution() {
        return buffers.stream().filter(b -> b.residency() == Residency.PER_EXECUTION).mapToLong(DeviceBuffer::bytes).sum();
    }

    /** Bytes declared {@link Residency#PERSISTENT}: what stays on the device. */
    public long residentBytes() {
        return buffers.stream().filter(b -> b.residency() == Residency.PERSISTENT).mapToLong(DeviceBuffer::bytes).sum();
    }

    /** Wall time of each task in the last execution, in nanoseconds, in task order. */
    public Map<String, Long> lastTaskNanos() {
        return Collections.unmodifiableMap(lastNanos);
    }

    /**
     * CPU time of the executing thread in each task of the last execution, in nanoseconds: on a shared
     * machine this is what a single-threaded CPU backend costs, whatever else runs. Device time of an
     * accelerator is not in it.
     */
    public Map<String, Long> lastTaskCpuNanos() {
        return Collections.unmodifiableMap(lastCpuNanos);
    }

    /** Releases the persistent codebooks from the backend; the backend itself stays open. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            for (ShapeCodebook codebook : residentCodebooks) {
                kernels.release(codebook);
            }
        }
    }
}
