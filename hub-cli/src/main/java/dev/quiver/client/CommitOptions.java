package dev.quiver.client;

import java.util.List;
import java.util.Optional;

/**
 * How an upload becomes a commit: on which branch (or as a pull request against it), with which
 * message, optionally only if the branch is still at {@code parentCommit}, and which repository
 * paths to delete in the same commit.
 */
public record CommitOptions(String revision, String summary, String description, boolean createPr,
        Optional<String> parentCommit, List<String> deletions) {
    public CommitOptions {
        if (summary.isBlank()) {
            throw new IllegalArgumentException("a commit needs a message");
        }
        deletions = List.copyOf(deletions);
        deletions.forEach(RepoFilePath::check);
    }

    public static CommitOptions of(String revision, String summary) {
        return new CommitOptions(revision, summary, "", false, Optional.empty(), List.of());
    }
}
