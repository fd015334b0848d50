package dev.quiver.server.search;

import dev.quiver.server.QuiverException;
import dev.quiver.server.Reason;
import dev.quiver.server.card.RevisionFacts;
import dev.quiver.server.lfs.BlobStore;
import dev.quiver.server.repo.RepoId;
import dev.quiver.server.repo.RepoInfo;
import dev.quiver.server.repo.RepoStore;
import dev.quiver.server.repo.Revisions;
import java.util.Optional;
import org.eclipse.jgit.lib.Repository;

/** Reads what the index holds about a repository from its metadata row and the head of its default branch. */
final class RepoDocuments {
    static final String DEFAULT_REF = "refs/heads/" + RepoStore.DEFAULT_BRANCH;

    private final RepoStore repos;
    private final BlobStore blobs;

    RepoDocuments(RepoStore repos, BlobStore blobs) {
        this.repos = repos;
        this.blobs = blobs;
    }

    /** The repository's document as it is now; empty when the repository does not exist (any more). */
    Optional<RepoDocument> load(RepoId id) {
        return repos.info(id).flatMap(this::load);
    }

    Optional<RepoDocument> load(RepoInfo info) {
        try {
            Repository git = repos.git(info.id());
            return Optional.of(Revisions.find(git, DEFAULT_REF)
                    .map(head -> RepoDocument.of(info, RevisionFacts.read(git, info.id(), head, blobs)))
                    .orElseGet(() -> RepoDocument.withoutContent(info)));
        } catch (QuiverException e) {
            if (e.reason() == Reason.REPO_NOT_FOUND) {
                return Optional.empty(); // deleted meanwhile; its REPO_DELETED event follows
            }
            throw e;
        }
    }
}
