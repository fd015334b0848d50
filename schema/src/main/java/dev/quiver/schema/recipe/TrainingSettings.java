package dev.quiver.schema.recipe;

import java.util.Objects;
import java.util.Optional;

/**
 * How the trainer runs.
 *
 * @param epochs passes over the training rows
 * @param maxSteps when present, stop after this many optimizer steps whatever the epochs
 * @param learningRate AdamW's peak learning rate
 * @param batchSize examples per forward pass
 * @param gradientAccumulation forward passes per optimizer step
 * @param maxLength longest example in tokens; longer ones are cut
 * @param weightDecay AdamW's decoupled weight decay
 * @param warmupRatio share of the steps spent warming the learning rate up from 0
 * @param schedule {@code cosine}, {@code linear} or {@code constant} after warm-up
 * @param seed seed for initialisation, shuffling and dropout
 */
public record TrainingSettings(int epochs, Optional<Integer> maxSteps, double learningRate, int batchSize,
        int gradientAccumulation, int maxLength, double weightDecay, double warmupRatio, String schedule, long seed) {

    /** @throws IllegalArgumentException for counts below 1, a non-positive learning rate or a warm-up outside [0, 1) */
    public TrainingSettings {
        Objects.requireNonNull(maxSteps, "maxSteps");
        Objects.requireNonNull(schedule, "schedule");
        boolean countsPositive = epochs >= 1 && maxSteps.orElse(1) >= 1 && batchSize >= 1 && gradientAccumulation >= 1
                && maxLength >= 1;
        if (!countsPositive || !(learningRate > 0) || !(weightDecay >= 0) || !(warmupRatio >= 0 && warmupRatio < 1)) {
            throw new IllegalArgumentException("invalid training settings: epochs=" + epochs + " max_steps=" + maxSteps
                    + " learning_rate=" + learningRate + " batch_size=" + batchSize + " gradient_accumulation="
                    + gradientAccumulation + " max_length=" + maxLength + " weight_decay=" + weightDecay
                    + " warmup_ratio=" + warmupRatio);
        }
    }

    /** 3 epochs, lr 2e-4, batch 8, no accumulation, 256 tokens, no decay, 3% warm-up, cosine, seed 42. */
    public static TrainingSettings defaults() {
        return new TrainingSettings(3, Optional.empty(), 2e-4, 8, 1, 256, 0.0, 0.03, "cosine", 42);
    }
}
