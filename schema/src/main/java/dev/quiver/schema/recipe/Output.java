package dev.quiver.schema.recipe;

import java.util.Objects;
import java.util.Optional;

/**
 * Where a training result is committed.
 *
 * @param branch the branch the result is meant for
 * @param candidateBranch when present, the result is committed here and {@code branch} moves
 *     only when the gate passes
 * @param pullRequest open a pull request against {@code branch} instead of moving it
 */
public record Output(String branch, Optional<String> candidateBranch, boolean pullRequest) {

    public Output {
        Objects.requireNonNull(branch, "branch");
        Objects.requireNonNull(candidateBranch, "candidateBranch");
    }

    /** Straight to {@code main}. */
    public static Output defaults() {
        return new Output("main", Optional.empty(), false);
    }
}
