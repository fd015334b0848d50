package dev.quiver.server.api;

import dev.quiver.server.QuiverException;
import dev.quiver.server.Reason;
import dev.quiver.server.card.RepoEntry;
import dev.quiver.server.card.RevisionTree;
import dev.quiver.server.lfs.BlobStore;
import dev.quiver.server.auth.Permissions;
import dev.quiver.server.repo.RepoInfo;
import dev.quiver.server.repo.RepoStore;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jgit.lib.Repository;

/**
 * File downloads: {@code GET|HEAD /{prefix}{ns}/{name}/resolve/{rev}/{path}} serves a file's
 * content (an LFS file's real bytes), {@code /raw/} the git blob itself (an LFS file's pointer).
 * Every answer, errors about the path included, carries {@code X-Repo-Commit}; LFS files add
 * {@code X-Linked-Etag} and {@code X-Linked-Size}, which the Python client prefers.
 */
public final class FileEndpoints {
    /** Fetches of these root files through resolve count as downloads of the repository, as on the Hub. */
    private static final Set<String> COUNTED = Set.of("config.json", "adapter_config.json");

    /** Entries of recently fetched paths (a commit id and a path name immutable content), about 4k of them. */
    private final ContentCache<String, RepoEntry> entries = new ContentCache<>(4096, e -> 1);
    private final RepoAccess access;
    private final FileSender sender;

    public FileEndpoints(RepoStore repos, Permissions permissions, BlobStore blobs) {
        this.access = new RepoAccess(repos, permissions);
        this.sender = new FileSender(blobs);
    }

    public void routes(Router.Builder r) {
        r.repoFiles(Method.GET, "/{ns}/{name}/resolve/{rev*}", call -> serve(call, false));
        r.repoFiles(Method.GET, "/{ns}/{name}/raw/{rev*}", call -> serve(call, true));
    }

    private void serve(Call call, boolean raw) {
        Optional<RepoInfo> repo = access.readable(call);
        if (repo.isEmpty()) {
            return;
        }
        Repository git = access.git(repo.get());
        RepoAccess.RevisionAndPath at = RepoAccess.split(git, call.rest(), true);
        call.header("X-Repo-Commit", at.revision().sha());
        RepoEntry entry = entry(git, at).orElseThrow(() -> new QuiverException(Reason.ENTRY_NOT_FOUND,
                "Entry not found: " + at.path() + " does not exist at revision " + at.revision().asked()));
        if (!raw && countsAsDownload(call, entry)) {
            access.repos().countDownload(repo.get().id());
        }
        if (raw || entry.lfs().isEmpty()) {
            sender.sendGitBlob(call, git, entry);
        } else {
            sender.sendLfs(call, entry);
        }
    }

    /** The file at the path, from the cache when this commit's path was asked for lately. */
    private Optional<RepoEntry> entry(Repository git, RepoAccess.RevisionAndPath at) {
        String key = at.revision().sha() + ":" + at.path();
        Optional<RepoEntry> cached = entries.get(key);
        if (cached.isPresent()) {
            return cached;
        }
        Optional<RepoEntry> entry = new RevisionTree(git, at.revision().commit()).entry(at.path())
                .filter(e -> !e.directory());
        entry.ifPresent(e -> entries.put(key, e));
        return entry;
    }

    /**
     * A full GET of a config file is one download. HEAD requests (metadata checks before every
     * download) and range requests (resumes and the JS client's {@code bytes=0-0} size probe, which
     * is followed by a real GET) are not, so one {@code from_pretrained} counts once.
     */
    private static boolean countsAsDownload(Call call, RepoEntry entry) {
        return !call.isHead() && COUNTED.contains(entry.path()) && call.header(HeaderNames.RANGE).isEmpty();
    }
}
