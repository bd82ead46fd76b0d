package dev.weir.kernels;

/**
 * The decision in the middle of a {@link PatchStepPlan}, made on the host from the small per-patch
 * {@link PatchMeasures} of the frame: which patches to tokenize and send. A codec brings its own rules (for
 * video: the cacher, keyframes, the budget and the novelty pruner of {@code dev.weir.codec.compress}); the kernel
 * layer knows none of them.
 */
@FunctionalInterface
public interface PatchSelector {

    PatchSelection select(PatchMeasures measures);
}
