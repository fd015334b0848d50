package dev.quiver.server.auth;

import dev.quiver.server.QuiverException;
import dev.quiver.server.Reason;
import dev.quiver.server.repo.RepoId;
import dev.quiver.server.repo.RepoInfo;
import dev.quiver.server.repo.RepoStore;

/**
 * The one permission check every path uses. A repository the caller may not read answers exactly
 * like a missing one ({@code RepoNotFound}); a readable one the caller may not change is a 403.
 */
public final class Permissions {
    private final RepoStore repos;

    public Permissions(RepoStore repos) {
        this.repos = repos;
    }

    public boolean canRead(Caller caller, RepoInfo repo) {
        return !repo.isPrivate() || isOwner(caller, repo.id().owner());
    }

    /** Whether the caller may create or change repositories under {@code owner}. */
    public boolean isOwner(Caller caller, String owner) {
        return caller.isAdmin() || caller.user().map(u -> u.name().equals(owner)).orElse(false);
    }

    /** The repository's metadata if the caller may read it; otherwise {@code RepoNotFound}. */
    public RepoInfo readable(Caller caller, RepoId id) {
        return repos.info(id).filter(r -> canRead(caller, r)).orElseThrow(() -> notFound(id));
    }

    /** The repository's metadata if the caller may write to it; otherwise 401, 403 or {@code RepoNotFound}. */
    public RepoInfo writable(Caller caller, RepoId id) {
        RepoInfo repo = readable(caller, id);
        requireOwner(caller, id.owner());
        return repo;
    }

    /** Fails unless the caller may write under {@code owner} with the token it used. */
    public void requireOwner(Caller caller, String owner) {
        if (caller.isAnonymous()) {
            throw new QuiverException(Reason.UNAUTHORIZED, "You must be authenticated to do this: pass a token");
        }
        if (!isOwner(caller, owner) || !caller.canWriteWithToken()) {
            throw new QuiverException(Reason.FORBIDDEN, "You don't have the rights to write to " + owner
                    + (caller.canWriteWithToken() ? "" : " (your token is read-only)"));
        }
    }

    public static QuiverException notFound(RepoId id) {
        return new QuiverException(Reason.REPO_NOT_FOUND, "Repository Not Found for url: " + id.webPath()
                + ". Please make sure you specified the correct `repo_id` and `repo_type`. If you are trying to"
                + " access a private or gated repo, make sure you are authenticated.");
    }
}
