package dev.quiver.schema.recipe;

import java.util.Objects;
import java.util.Optional;

/**
 * The base model a recipe trains on.
 *
 * @param repo the model repository, {@code owner/name}
 * @param revision a pinned 40-hex commit; empty to take the default branch's head when a job starts
 */
public record BaseModelRef(String repo, Optional<String> revision) {

    public BaseModelRef {
        Objects.requireNonNull(repo, "repo");
        Objects.requireNonNull(revision, "revision");
    }
}
