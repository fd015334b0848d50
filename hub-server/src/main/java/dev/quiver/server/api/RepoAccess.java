package dev.quiver.server.api;

import dev.quiver.server.QuiverException;
import dev.quiver.server.Reason;
import dev.quiver.server.auth.Permissions;
import dev.quiver.server.repo.RepoId;
import dev.quiver.server.repo.RepoInfo;
import dev.quiver.server.repo.RepoPath;
import dev.quiver.server.repo.RepoStore;
import dev.quiver.server.repo.Revision;
import dev.quiver.server.repo.Revisions;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jgit.lib.Repository;

/**
 * The first steps every read takes: find the repository the call names, answer a renamed one with a
 * relative 307 to its new name, check the caller may read it, and split the rest of the path into a
 * revision and a file path.
 */
final class RepoAccess {
    /** A revision is at most this many path segments long ({@code refs/pr/1} is three). */
    private static final int MAX_REVISION_SEGMENTS = 16;

    private final RepoStore repos;
    private final Permissions permissions;

    RepoAccess(RepoStore repos, Permissions permissions) {
        this.repos = repos;
        this.permissions = permissions;
    }

    RepoStore repos() {
        return repos;
    }

    /**
     * The repository the call names if the caller may read it. Empty when it was renamed: a 307 to
     * the same URL under the new name was sent (relative, so clients keep their credentials).
     */
    Optional<RepoInfo> readable(Call call) {
        return check(call, false);
    }

    /** Like {@link #readable}, for callers that will write. */
    Optional<RepoInfo> writable(Call call) {
        return check(call, true);
    }

    private Optional<RepoInfo> check(Call call, boolean write) {
        RepoId id = call.repoId();
        try {
            return Optional.of(write ? permissions.writable(call.caller(), id) : permissions.readable(call.caller(), id));
        } catch (QuiverException e) {
            // only a repository that is gone may have moved; one the caller may not see must not reveal where
            Optional<RepoId> moved = e.reason() == Reason.REPO_NOT_FOUND && repos.info(id).isEmpty()
                    ? repos.movedTo(id).filter(to -> repos.info(to).filter(r -> permissions.canRead(call.caller(), r))
                            .isPresent())
                    : Optional.empty();
            if (moved.isEmpty()) {
                throw e;
            }
            redirect(call, id, moved.get());
            return Optional.empty();
        }
    }

    private static void redirect(Call call, RepoId from, RepoId to) {
        String raw = call.request().path().rawPath();
        String location = raw.replaceFirst("/" + Pattern.quote(from.id()) + "(?=/|$)",
                Matcher.quoteReplacement("/" + to.id()));
        String query = call.request().query().rawValue();
        call.response().status(Status.TEMPORARY_REDIRECT_307);
        call.response().header(HeaderNames.LOCATION, query.isEmpty() ? location : location + "?" + query);
        call.response().send();
    }

    /** The git repository of a readable repository. */
    Repository git(RepoInfo repo) {
        return repos.git(repo.id());
    }

    /** A revision and a path within it, split from the rest of a URL. */
    record RevisionAndPath(Revision revision, String path) {
    }

    /**
     * Splits {@code segments} into a revision and a path, trying the longest revision first, so a
     * branch named {@code a/b} wins over branch {@code a} with a path starting {@code b/}. Revisions
     * may also arrive as one segment with encoded slashes ({@code refs%2Fpr%2F1}). Requires a
     * non-empty path when {@code needPath}; the path is checked like every repository path.
     */
    static RevisionAndPath split(Repository git, List<String> segments, boolean needPath) {
        if (segments.isEmpty()) {
            throw QuiverException.badRequest("a revision is required in this URL");
        }
        int longest = Math.min(segments.size() - (needPath ? 1 : 0), MAX_REVISION_SEGMENTS);
        for (int n = longest; n >= 1; n--) {
            Optional<Revision> rev = Revisions.find(git, String.join("/", segments.subList(0, n)));
            if (rev.isPresent()) {
                String path = String.join("/", segments.subList(n, segments.size()));
                if (!path.isEmpty()) {
                    new RepoPath(path);
                }
                return new RevisionAndPath(rev.get(), path);
            }
        }
        if (needPath && segments.size() == 1) {
            throw QuiverException.badRequest("this URL needs a revision and a file path");
        }
        throw new QuiverException(Reason.REVISION_NOT_FOUND, "Invalid rev id: " + segments.getFirst());
    }
}
