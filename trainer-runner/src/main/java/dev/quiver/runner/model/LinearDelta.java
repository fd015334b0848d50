package dev.quiver.runner.model;

import ai.djl.ndarray.NDArray;

/** Something added to a {@link Linear}'s output, such as a LoRA branch. */
@FunctionalInterface
public interface LinearDelta {
    /** Returns {@code baseOutput} plus this delta's contribution for {@code input}. */
    NDArray apply(NDArray input, NDArray baseOutput, boolean training);
}
