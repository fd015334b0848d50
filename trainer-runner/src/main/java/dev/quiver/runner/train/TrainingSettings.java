package dev.quiver.runner.train;

import dev.quiver.runner.TrainerException;
import java.util.OptionalInt;

/** The optimisation settings of a run (the recipe's {@code training} section). */
public record TrainingSettings(int epochs, OptionalInt maxSteps, double learningRate, int batchSize,
        int gradientAccumulation, double weightDecay, double warmupRatio, Schedule schedule, double maxGradNorm, long seed) {
    public TrainingSettings {
        if (epochs <= 0 && maxSteps.isEmpty()) {
            throw new TrainerException("epochs must be positive (or give max_steps)");
        }
        if (batchSize <= 0 || gradientAccumulation <= 0) {
            throw new TrainerException("batch_size and gradient_accumulation must be positive");
        }
        if (maxSteps.isPresent() && maxSteps.getAsInt() <= 0) {
            throw new TrainerException("max_steps must be positive, got " + maxSteps.getAsInt());
        }
        if (!(learningRate > 0) || Double.isInfinite(learningRate) || !(warmupRatio >= 0 && warmupRatio < 1)
                || !(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
            throw new TrainerException("learning_rate must be positive, warmup_ratio in [0, 1), weight_decay >= 0");
        }
        if (!(maxGradNorm >= 0) || Double.isInfinite(maxGradNorm)) {
            throw new TrainerException("max_grad_norm must be 0 (no clipping) or positive, got " + maxGradNorm);
        }
    }
}
