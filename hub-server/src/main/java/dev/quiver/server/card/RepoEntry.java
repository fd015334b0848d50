package dev.quiver.server.card;

import dev.quiver.schema.lfs.LfsPointer;
import java.util.Optional;

/**
 * A file or directory of a revision, as tree listings, paths-info and siblings describe it.
 *
 * @param oid the git object id: the blob's sha1 for a file (of the pointer, for an LFS file), the tree's for a directory
 * @param size the real size in bytes: the LFS object's for an LFS file, 0 for a directory
 * @param lfs the pointer when the git blob is an LFS pointer
 * @param blobSize the git blob's own size (the pointer's, for an LFS file)
 */
public record RepoEntry(String path, boolean directory, String oid, long size, Optional<LfsPointer> lfs,
        long blobSize) {
    public static RepoEntry directory(String path, String treeId) {
        return new RepoEntry(path, true, treeId, 0, Optional.empty(), 0);
    }

    public static RepoEntry file(String path, String blobId, long blobSize, Optional<LfsPointer> lfs) {
        return new RepoEntry(path, false, blobId, lfs.map(LfsPointer::size).orElse(blobSize), lfs, blobSize);
    }

    /** The ETag clients cache under: the sha256 for an LFS file, else the git blob id. */
    public String etag() {
        return lfs.map(LfsPointer::oid).orElse(oid);
    }
}
