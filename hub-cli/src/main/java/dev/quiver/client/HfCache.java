package dev.quiver.client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * The Hugging Face cache layout, exactly as huggingface_hub and {@code @huggingface/hub} read it, so
 * that transformers and peft find what Quiver downloaded (offline too):
 *
 * <pre>
 * {root}/{models|datasets|spaces}--{ns}--{name}/
 *     blobs/{etag}                       content, named by git sha1 or (LFS) sha256
 *     blobs/{etag}.incomplete            a download of a large blob in progress; resumed with Range
 *     blobs/{etag}.{pid}-{thread}.incomplete   a small blob being written by one download (see {@link Downloader})
 *     snapshots/{commit}/{path}          relative symlink to ../../blobs/{etag}
 *     refs/{revision}                    the commit a branch or tag pointed at (not written for a sha)
 * {root}/.locks/{repo folder}/{etag}.lock  held while that blob, if large, is downloaded (see {@link Downloader})
 * </pre>
 */
public final class HfCache {
    private final Path root;

    public HfCache(Path root) {
        this.root = root;
    }

    public Path root() {
        return root;
    }

    public Path repoDir(RepoRef repo) {
        return root.resolve(repo.cacheFolderName());
    }

    public Path blob(RepoRef repo, String etag) {
        return repoDir(repo).resolve("blobs").resolve(RepoFilePath.checkHexId(etag, "etag"));
    }

    public Path incomplete(RepoRef repo, String etag) {
        return repoDir(repo).resolve("blobs").resolve(RepoFilePath.checkHexId(etag, "etag") + ".incomplete");
    }

    /** The partial file of a small blob that only this thread of this process writes (no lock needed). */
    Path incompleteOfThisWriter(RepoRef repo, String etag) {
        return repoDir(repo).resolve("blobs").resolve(RepoFilePath.checkHexId(etag, "etag") + "." + writerId()
                + ".incomplete");
    }

    /** Which process and thread writes a file: a name no other writer of a shared cache uses at the same time. */
    private static String writerId() {
        return ProcessHandle.current().pid() + "-" + Thread.currentThread().threadId();
    }

    /** The lock file a download of this blob holds, where huggingface_hub keeps its own. */
    Path lock(RepoRef repo, String etag) {
        return root.resolve(".locks").resolve(repo.cacheFolderName())
                .resolve(RepoFilePath.checkHexId(etag, "etag") + ".lock");
    }

    public Path snapshot(RepoRef repo, String commit) {
        return repoDir(repo).resolve("snapshots").resolve(RepoFilePath.checkHexId(commit, "commit id"));
    }

    public Path snapshotFile(RepoRef repo, String commit, String path) {
        return snapshot(repo, commit).resolve(RepoFilePath.check(path));
    }

    /**
     * Creates {@code blobs/}, {@code snapshots/} and {@code refs/}: the cache scanners of both HF
     * libraries expect all three, even when no ref was written (a download by commit id).
     */
    public void prepare(RepoRef repo) {
        try {
            for (String dir : new String[] {"blobs", "snapshots", "refs"}) {
                Files.createDirectories(repoDir(repo).resolve(dir));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the cache folders of " + repo + " in " + root, e);
        }
    }

    /** Whether the blob is complete in the cache (a finished download is moved in atomically). */
    public boolean hasBlob(RepoRef repo, String etag) {
        return Files.isRegularFile(blob(repo, etag));
    }

    /**
     * Points {@code snapshots/{commit}/{path}} at the blob with a relative symlink, as the HF libraries
     * do; where the file system has no symlinks the blob is copied instead (as huggingface_hub does on
     * Windows without developer mode).
     */
    public Path link(RepoRef repo, String commit, String path, String etag) {
        Path link = snapshotFile(repo, commit, path);
        Path blob = blob(repo, etag);
        try {
            Files.createDirectories(link.getParent());
            Path target = link.getParent().relativize(blob);
            if (!symlink(link, target, blob)) {
                if (Files.isSymbolicLink(link) && Files.readSymbolicLink(link).equals(target)) {
                    return link;
                }
                Files.deleteIfExists(link); // a link to another blob, or a copy: replaced
                symlink(link, target, blob); // if another download made it meanwhile, it is this same link
            }
            return link;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot link " + link + " to " + blob, e);
        }
    }

    /**
     * Creates the link in one call, the common case of a new snapshot (or, where the file system has
     * no links, a copy); false when something is already there.
     */
    private static boolean symlink(Path link, Path target, Path blob) throws IOException {
        try {
            Files.createSymbolicLink(link, target);
        } catch (FileAlreadyExistsException e) {
            return false;
        } catch (UnsupportedOperationException e) {
            Files.copy(blob, link, StandardCopyOption.REPLACE_EXISTING);
        }
        return true;
    }

    /**
     * The commit a revision names in the cache, without asking the hub (huggingface_hub's offline
     * rule): a commit id whose snapshot is here, or the commit {@code refs/{revision}} recorded.
     */
    public Optional<String> cachedCommit(RepoRef repo, String revision) {
        Optional<String> commit = RepoFilePath.isCommitId(revision) ? Optional.of(revision) : readRef(repo, revision);
        return commit.filter(c -> Files.isDirectory(snapshot(repo, c)));
    }

    /** Whether {@code snapshots/{commit}/{path}} exists and leads to a complete blob. */
    public boolean hasSnapshotFile(RepoRef repo, String commit, String path) {
        return Files.isRegularFile(snapshotFile(repo, commit, path));
    }

    /** Records which commit a branch or tag named; nothing for a commit id, which names itself. */
    public void writeRef(RepoRef repo, String revision, String commit) {
        if (revision.equals(commit)) {
            return;
        }
        Path ref = refFile(repo, revision);
        try {
            Files.createDirectories(ref.getParent());
            Optional<String> current = readRef(repo, revision);
            if (current.isPresent() && current.get().equals(commit)) {
                return;
            }
            // a name of its own, so that two downloads writing the ref at once do not move each
            // other's file; outside refs/, where the HF cache scanners would read a leftover as a ref;
            // not createTempFile, whose owner-only mode would hide the ref from other users of a
            // shared cache
            Path tmp = repoDir(repo).resolve(".ref-" + writerId() + ".tmp");
            try {
                Files.writeString(tmp, commit, StandardCharsets.US_ASCII);
                Files.move(tmp, ref, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + ref, e);
        }
    }

    public Optional<String> readRef(RepoRef repo, String revision) {
        Path ref = refFile(repo, revision);
        try {
            return Files.isRegularFile(ref, LinkOption.NOFOLLOW_LINKS)
                    ? Optional.of(Files.readString(ref, StandardCharsets.US_ASCII).strip()) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + ref, e);
        }
    }

    private Path refFile(RepoRef repo, String revision) {
        return repoDir(repo).resolve("refs").resolve(RepoFilePath.check(revision));
    }
}
