package dev.quiver.runner.train;

import dev.quiver.runner.TrainerException;
import java.util.Locale;

/**
 * Learning-rate multipliers as transformers' get_{linear,cosine}_schedule_with_warmup: a linear
 * ramp over the warmup steps, then linear decay to 0 or a half cosine to 0. {@code step} counts
 * optimizer updates done so far, so the first update uses step 0.
 */
public enum Schedule {
    LINEAR, COSINE, CONSTANT;

    public static Schedule parse(String s) {
        try {
            return valueOf(s.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new TrainerException("unknown schedule '" + s + "' (linear, cosine, constant)");
        }
    }

    public double multiplier(long step, long warmup, long total) {
        if (step < warmup) {
            return (double) step / Math.max(1, warmup);
        }
        double progress = (double) (step - warmup) / Math.max(1, total - warmup);
        return switch (this) {
            case LINEAR -> Math.max(0, 1 - progress);
            case COSINE -> Math.max(0, 0.5 * (1 + Math.cos(Math.PI * progress)));
            case CONSTANT -> 1;
        };
    }
}
