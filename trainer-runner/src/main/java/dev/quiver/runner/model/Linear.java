package dev.quiver.runner.model;

import ai.djl.ndarray.NDArray;
import java.util.Optional;

/**
 * A frozen projection of the base model: {@code nn.Linear} (weight [out, in]) or GPT-2's
 * {@code Conv1D} (weight [in, out], "fan_in_fan_out"). A LoRA branch hooks in as a {@link LinearDelta}.
 */
public final class Linear {
    private final String path;
    private final NDArray weight;
    private final Optional<NDArray> bias;
    private final boolean fanInFanOut;
    private Optional<LinearDelta> delta = Optional.empty();

    public Linear(String path, NDArray weight, Optional<NDArray> bias, boolean fanInFanOut) {
        this.path = path;
        this.weight = weight;
        this.bias = bias;
        this.fanInFanOut = fanInFanOut;
    }

    /** The module's name in the transformers model, e.g. {@code model.layers.0.self_attn.q_proj}. */
    public String path() {
        return path;
    }

    public long inFeatures() {
        return weight.getShape().get(fanInFanOut ? 0 : 1);
    }

    public long outFeatures() {
        return weight.getShape().get(fanInFanOut ? 1 : 0);
    }

    public boolean fanInFanOut() {
        return fanInFanOut;
    }

    public NDArray weight() {
        return weight;
    }

    public void attach(LinearDelta d) {
        delta = Optional.of(d);
    }

    public void detach() {
        delta = Optional.empty();
    }

    public NDArray forward(NDArray x, boolean training) {
        NDArray y;
        if (fanInFanOut) {
            y = x.matMul(weight);
            y = bias.isPresent() ? y.add(bias.get()) : y;
        } else {
            y = x.getNDArrayInternal().linear(x, weight, bias.orElse(null)).singletonOrThrow();
        }
        return delta.isPresent() ? delta.get().apply(x, y, training) : y;
    }

    /** Adds {@code deltaOutIn} ([out, in], as LoRA computes it) to the weight in place, in this layer's layout. */
    public void addToWeight(NDArray deltaOutIn) {
        if (fanInFanOut) {
            try (NDArray inOut = deltaOutIn.transpose()) {
                weight.addi(inOut);
            }
        } else {
            weight.addi(deltaOutIn);
        }
    }
}
