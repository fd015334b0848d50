package dev.quiver.server.repo;

import java.util.List;
import java.util.Optional;
import org.eclipse.jgit.lib.PersonIdent;

/**
 * A commit to write. {@code revision} is a branch name or a full {@code refs/heads/*} or
 * {@code refs/pr/*} ref; with {@code createPr} the commit goes on a new {@code refs/pr/N} on top of
 * that revision instead. A present {@code parentCommit} must be the branch's current head.
 */
public record CommitRequest(RepoId repo, String revision, Optional<String> parentCommit, String summary,
        String description, PersonIdent author, List<FileChange> changes, boolean createPr) {
    public CommitRequest {
        changes = List.copyOf(changes);
    }

    /** The commit message git stores: the summary, a blank line and the description if any. */
    public String message() {
        String title = summary.isBlank() ? "Upload files" : summary.strip();
        return description.isBlank() ? title + "\n" : title + "\n\n" + description.strip() + "\n";
    }
}
