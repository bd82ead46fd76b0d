package dev.weir.kernels;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Declares, once, the kernels of a step and the buffers they use, in the spirit of TornadoVM task
 * graphs: which buffers stay on the device across executions ({@link Residency#PERSISTENT}: codebooks,
 * per-stream references) and which move on every execution ({@link Residency#PER_EXECUTION}: frames
 * in, tokens out). {@link #build} turns the declaration into an immutable {@link ExecutionPlan} that is
 * executed many times.
 *
 * <pre>{@code
 * ExecutionPlan plan = new TaskGraph("frame-step")
 *         .persistent("codebook", codebook)
 *         .perExecution("frame", geometry.rgbBytes())
 *         .perExecution("tokens", 4L * kept)
 *         .task("patchify", k -> k.patchify(frame, geometry, 6, dc, residuals))
 *         .task("nearest", k -> k.nearest(residuals, rows, kept, codebook, tokens))
 *         .build(kernels);
 * plan.execute();
 * }</pre>
 *
 * <p>A builder: not thread-safe, and each method returns this graph.
 */
public final class TaskGraph {

    /** One kernel invocation of the graph, run on the plan's backend. */
    @FunctionalInterface
    public interface Task {
        void run(VideoKernels kernels);
    }

    private final String name;
    private final Map<String, DeviceBuffer> buffers = new LinkedHashMap<>();
    private final List<ShapeCodebook> codebooks = new ArrayList<>();
    private final Map<String, Task> tasks = new LinkedHashMap<>();

    public TaskGraph(String name) {
        this.name = Objects.requireNonNull(name, "name");
    }

    /** A codebook that is prepared (packed, uploaded) once at build time and stays on the device. */
    public TaskGraph persistent(String bufferName, ShapeCodebook codebook) {
        Objects.requireNonNull(codebook, "codebook");
        declare(new DeviceBuffer(bufferName, Residency.PERSISTENT, codebook.entries().length));
        codebooks.add(codebook);
        return this;
    }

    /** A persistent buffer of {@code bytes} (for example a per-stream reference). */
    public TaskGraph persistent(String bufferName, long bytes) {
        declare(new DeviceBuffer(bufferName, Residency.PERSISTENT, bytes));
        return this;
    }

    /** A buffer of {@code bytes} moved on every execution. */
    public TaskGraph perExecution(String bufferName, long bytes) {
        declare(new DeviceBuffer(bufferName, Residency.PER_EXECUTION, bytes));
        return this;
    }

    /** A buffer of {@code bytes} that kernels write and read on the device, never transferred. */
    public TaskGraph deviceOnly(String bufferName, long bytes) {
        declare(new DeviceBuffer(bufferName, Residency.DEVICE_ONLY, bytes));
        return this;
    }

    /** Appends a task; tasks run in declaration order on every execution. */
    public TaskGraph task(String taskName, Task task) {
        Objects.requireNonNull(taskName, "taskName");
        Objects.requireNonNull(task, "task");
        if (tasks.putIfAbsent(taskName, task) != null) {
            throw new IllegalArgumentException("task graph " + name + " already has a task named " + taskName);
        }
        return this;
    }

    /** Freezes the graph into a plan on {@code kernels}, making persistent codebooks resident now. */
    public ExecutionPlan build(VideoKernels kernels) {
        Objects.requireNonNull(kernels, "kernels");
        if (tasks.isEmpty()) {
            throw new IllegalStateException("task graph " + name + " has no tasks");
        }
        return new ExecutionPlan(name, kernels, List.copyOf(buffers.values()), List.copyOf(codebooks),
                new LinkedHashMap<>(tasks));
    }

    private void declare(DeviceBuffer buffer) {
        if (buffers.putIfAbsent(buffer.name(), buffer) != null) {
            throw new IllegalArgumentException("task graph " + name + " already has a buffer named " + buffer.name());
        }
    }
}
