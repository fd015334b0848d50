package dev.quiver.schema.recipe;

import java.util.List;

/**
 * The rows held out for evaluation and dynamic verification.
 *
 * @param fraction the share of training rows held out (0 when {@code files} are named)
 * @param seed the seed of the row shuffle that picks them, so the split is stable across jobs
 * @param files glob patterns of dedicated eval files; empty to split off a fraction
 */
public record EvalSplit(double fraction, long seed, List<String> files) {

    /** @throws IllegalArgumentException if the fraction is outside [0, 1) */
    public EvalSplit {
        if (!(fraction >= 0 && fraction < 1)) {
            throw new IllegalArgumentException("eval fraction must be in [0, 1), not " + fraction);
        }
        files = List.copyOf(files);
    }

    /** 10% of the rows, seed 42. */
    public static EvalSplit defaults() {
        return new EvalSplit(0.1, 42, List.of());
    }
}
