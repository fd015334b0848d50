package dev.quiver.server.repo;

import org.eclipse.jgit.revwalk.RevCommit;

/**
 * A revision as a client named it, resolved once: {@code ref} is the full ref name
 * ({@code refs/heads/main}, {@code refs/tags/v1}, {@code refs/pr/3}) or empty for a commit id.
 */
public record Revision(String asked, String ref, RevCommit commit) {
    public String sha() {
        return commit.name();
    }

    public boolean isBranch() {
        return ref.startsWith("refs/heads/");
    }
}
