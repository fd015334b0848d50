package dev.quiver.runner.lora;

import ai.djl.ndarray.NDArray;
import dev.quiver.runner.model.Linear;
import dev.quiver.runner.model.LinearDelta;
import dev.quiver.runner.model.Scalars;

/**
 * One LoRA branch on one projection, as PEFT's {@code lora.Linear}:
 * {@code y = base(x) + B(A(dropout(x))) * scaling}, with dropout on the branch input only.
 * A is [r, in] and B is [out, r] whatever the base layout (Conv1D included).
 */
public final class LoraLayer implements LinearDelta {
    private final Linear base;
    private final NDArray a;
    private final NDArray b;
    private final float scaling;
    private final float dropout;
    private boolean merged;

    LoraLayer(Linear base, NDArray a, NDArray b, double scaling, double dropout) {
        this.base = base;
        this.a = a;
        this.b = b;
        this.scaling = (float) scaling;
        this.dropout = (float) dropout;
    }

    public String modulePath() {
        return base.path();
    }

    public NDArray a() {
        return a;
    }

    public NDArray b() {
        return b;
    }

    public boolean merged() {
        return merged;
    }

    @Override
    public NDArray apply(NDArray input, NDArray baseOutput, boolean training) {
        if (merged) {
            return baseOutput;
        }
        NDArray x = training && dropout > 0
                ? input.getNDArrayInternal().dropout(input, dropout, true).singletonOrThrow()
                : input;
        NDArray low = x.getNDArrayInternal().linear(x, a, null).singletonOrThrow();
        NDArray up = low.getNDArrayInternal().linear(low, b, null).singletonOrThrow();
        return baseOutput.add(Scalars.mul(up, scaling));
    }

    /** Folds {@code B @ A * scaling} into the base weight (transposed for fan_in_fan_out layers). */
    public void merge() {
        if (!merged) {
            applyDelta(1f);
            merged = true;
        }
    }

    /** Subtracts what {@link #merge} added. */
    public void unmerge() {
        if (merged) {
            applyDelta(-1f);
            merged = false;
        }
    }

    private void applyDelta(float sign) {
        try (NDArray frozenB = b.stopGradient();
                NDArray frozenA = a.stopGradient();
                NDArray product = frozenB.matMul(frozenA);
                NDArray delta = Scalars.mul(product, sign * scaling)) {
            base.addToWeight(delta);
        }
    }
}
