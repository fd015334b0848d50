package dev.quiver.schema.recipe;

import java.util.List;

/**
 * The adapter's shape.
 *
 * @param r the rank
 * @param alpha LoRA alpha; the update is scaled by alpha / r (alpha / sqrt(r) with rsLoRA)
 * @param dropout dropout on the LoRA branch's input
 * @param targetModules module names to adapt; empty for PEFT's default for the architecture
 * @param useRslora rank-stabilised scaling
 */
public record LoraSettings(int r, double alpha, double dropout, List<String> targetModules, boolean useRslora) {

    /** @throws IllegalArgumentException for a rank below 1, a non-positive alpha or a dropout outside [0, 1) */
    public LoraSettings {
        if (r < 1 || !(alpha > 0) || !(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("LoRA needs r >= 1, alpha > 0 and dropout in [0, 1): r=" + r
                    + " alpha=" + alpha + " dropout=" + dropout);
        }
        targetModules = List.copyOf(targetModules);
    }

    /** r 8, alpha 16, dropout 0.05, the architecture's default targets, no rsLoRA. */
    public static LoraSettings defaults() {
        return new LoraSettings(8, 16, 0.05, List.of(), false);
    }
}
