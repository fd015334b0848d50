package dev.quiver.runner.model;

import ai.djl.ndarray.NDArray;

/** Llama's RMSNorm: {@code w * x / sqrt(mean(x^2) + eps)} over the last axis. */
final class RmsNorm {
    private final NDArray weight;
    private final float eps;

    RmsNorm(NDArray weight, double eps) {
        this.weight = weight;
        this.eps = (float) eps;
    }

    NDArray forward(NDArray x) {
        NDArray rms = Scalars.add(x.square().mean(new int[] {-1}, true), eps).sqrt();
        return x.div(rms).mul(weight);
    }
}
