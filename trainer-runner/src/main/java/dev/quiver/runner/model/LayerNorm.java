package dev.quiver.runner.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/** GPT-2's LayerNorm over the last axis, through the engine's fused kernel. */
final class LayerNorm {
    private final NDArray weight;
    private final NDArray bias;
    private final float eps;

    LayerNorm(NDArray weight, NDArray bias, double eps) {
        this.weight = weight;
        this.bias = bias;
        this.eps = (float) eps;
    }

    NDArray forward(NDArray x) {
        return x.getNDArrayInternal().layerNorm(x, new Shape(weight.getShape().get(0)), weight, bias, eps).singletonOrThrow();
    }
}
