package dev.quiver.server.repo;

import dev.quiver.schema.lfs.LfsPointer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * Decides, before an upload, which files go to LFS, the way the Hub does: a file tracked as LFS by
 * {@code .gitattributes}, larger than 10 MiB, or binary (a NUL byte in its first 512 bytes). It also
 * tells the client what is already there so identical files need not be sent again.
 */
public final class UploadPlanner {
    static final long LFS_SIZE_THRESHOLD = 10L << 20;

    private final RepoStore store;

    public UploadPlanner(RepoStore store) {
        this.store = store;
    }

    /** A file a client is about to upload. */
    public record File(String path, long size, byte[] sample) {
    }

    /** Where it should go, and the id of the file now at that path (git sha1, or sha256 for LFS). */
    public record Plan(String path, boolean lfs, Optional<String> remoteOid) {
    }

    public List<Plan> plan(RepoId repo, String revision, List<File> files) {
        Repository git = store.git(repo);
        Revision rev = Revisions.resolve(git, revision);
        try (ObjectReader reader = git.newObjectReader()) {
            GitAttributes attributes = GitAttributes.parse(read(git, reader, rev, GitAttributes.PATH).orElse(new byte[0]));
            List<Plan> plans = new ArrayList<>();
            for (File f : files) {
                new RepoPath(f.path());
                boolean lfs = attributes.isLfs(f.path()) || f.size() > LFS_SIZE_THRESHOLD || isBinary(f.sample());
                plans.add(new Plan(f.path(), lfs && f.size() > 0, remoteOid(git, reader, rev, f.path())));
            }
            return plans;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean isBinary(byte[] sample) {
        for (byte b : sample) {
            if (b == 0) {
                return true;
            }
        }
        return false;
    }

    private static Optional<String> remoteOid(Repository git, ObjectReader reader, Revision rev, String path)
            throws IOException {
        try (TreeWalk walk = TreeWalk.forPath(reader, path, rev.commit().getTree())) {
            if (walk == null) {
                return Optional.empty();
            }
            ObjectId id = walk.getObjectId(0);
            if (reader.getObjectSize(id, org.eclipse.jgit.lib.Constants.OBJ_BLOB) < 1024) {
                Optional<LfsPointer> pointer = LfsPointer.parse(reader.open(id).getBytes());
                if (pointer.isPresent()) {
                    return Optional.of(pointer.get().oid());
                }
            }
            return Optional.of(id.name());
        }
    }

    private static Optional<byte[]> read(Repository git, ObjectReader reader, Revision rev, String path)
            throws IOException {
        try (TreeWalk walk = TreeWalk.forPath(reader, path, rev.commit().getTree())) {
            return walk == null ? Optional.empty() : Optional.of(reader.open(walk.getObjectId(0)).getBytes());
        }
    }
}
