package dev.quiver.schema.recipe;

import java.util.List;

/**
 * What a new adapter must pass before it moves the output branch.
 *
 * @param requiredChecks the verification checks that must pass: {@code static}, {@code dynamic}
 * @param minEvalLossImprovement how much lower eval loss must be with the adapter than without it
 * @param mustBeatCurrent also require lower eval loss than the adapter it replaces
 */
public record Gate(List<String> requiredChecks, double minEvalLossImprovement, boolean mustBeatCurrent) {

    public Gate {
        requiredChecks = List.copyOf(requiredChecks);
    }

    /** Both checks required, any improvement, no comparison with the current adapter. */
    public static Gate defaults() {
        return new Gate(List.of("static", "dynamic"), 0.0, false);
    }
}
