package dev.weir.kernels;

/**
 * Where a buffer of a {@link TaskGraph} lives between executions of its {@link ExecutionPlan}, after
 * TornadoVM's data-transfer modes.
 */
public enum Residency {
    /** Moved to the device once, when the plan is built, and kept there until the plan closes (codebooks, references). */
    PERSISTENT,
    /** Moved on every execution (frames in, tokens out). */
    PER_EXECUTION,
    /** Lives only on the device: written and read by the plan's kernels, never transferred (residuals of a fused step). */
    DEVICE_ONLY
}
