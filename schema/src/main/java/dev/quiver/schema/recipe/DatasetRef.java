package dev.quiver.schema.recipe;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The dataset a recipe follows: a new commit on {@code branch} queues a training job.
 *
 * @param repo the dataset repository, {@code owner/name}
 * @param branch the branch followed
 * @param files glob patterns of the training files
 * @param format how a row becomes text
 * @param template the row template, present exactly when {@code format} is {@link RowFormat#TEMPLATE}
 * @param eval the held-out rows
 */
public record DatasetRef(String repo, String branch, List<String> files, RowFormat format, Optional<String> template,
        EvalSplit eval) {

    /** The files a dataset is read from when a recipe names none. */
    public static final List<String> DEFAULT_FILES = List.of("**/*.jsonl");

    public DatasetRef {
        Objects.requireNonNull(repo, "repo");
        Objects.requireNonNull(branch, "branch");
        files = List.copyOf(files);
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(template, "template");
        Objects.requireNonNull(eval, "eval");
    }
}
