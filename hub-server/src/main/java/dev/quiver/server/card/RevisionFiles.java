package dev.quiver.server.card;

import dev.quiver.schema.lfs.LfsPointer;
import dev.quiver.schema.safetensors.SafetensorsException;
import dev.quiver.schema.safetensors.SafetensorsHeader;
import dev.quiver.schema.safetensors.SafetensorsReader;
import dev.quiver.server.lfs.BlobStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.filter.PathSuffixFilter;

/**
 * Reads files of one commit the way a client would see them: an LFS pointer is followed into the
 * blob store. Safetensors files are read header-first and never loaded whole.
 */
public final class RevisionFiles {
    private final Repository git;
    private final RevCommit commit;
    private final BlobStore blobs;

    public RevisionFiles(Repository git, RevCommit commit, BlobStore blobs) {
        this.git = git;
        this.commit = commit;
        this.blobs = blobs;
    }

    /** The first {@code limit} bytes of a file, or empty when there is no such file (or its LFS object is gone). */
    public Optional<byte[]> read(String path, int limit) {
        try (ObjectReader reader = git.newObjectReader();
                TreeWalk walk = TreeWalk.forPath(reader, path, commit.getTree())) {
            if (walk == null || !isFile(walk.getFileMode(0))) {
                return Optional.empty();
            }
            ObjectLoader loader = reader.open(walk.getObjectId(0), Constants.OBJ_BLOB);
            Optional<LfsPointer> pointer = pointer(loader);
            if (pointer.isEmpty()) {
                try (InputStream in = loader.openStream()) {
                    return Optional.of(in.readNBytes(limit));
                }
            }
            if (!blobs.contains(pointer.get().oid())) {
                return Optional.empty();
            }
            try (InputStream in = blobs.open(pointer.get().oid(), 0)) {
                return Optional.of(in.readNBytes(limit));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The header of every {@code .safetensors} file that has a readable, valid one, by path. */
    public Map<String, SafetensorsHeader> safetensorsHeaders() {
        Map<String, SafetensorsHeader> headers = new LinkedHashMap<>();
        safetensorsFiles().forEach((path, header) -> header.ifPresent(h -> headers.put(path, h)));
        return headers;
    }

    /** Every {@code .safetensors} file by path, with its header when that is readable and valid. */
    Map<String, Optional<SafetensorsHeader>> safetensorsFiles() {
        Map<String, Optional<SafetensorsHeader>> files = new LinkedHashMap<>();
        try (ObjectReader reader = git.newObjectReader(); TreeWalk walk = new TreeWalk(reader)) {
            walk.addTree(commit.getTree());
            walk.setRecursive(true);
            walk.setFilter(PathSuffixFilter.create(".safetensors"));
            while (walk.next()) {
                if (isFile(walk.getFileMode(0))) {
                    files.put(walk.getPathString(), header(reader, walk.getObjectId(0)));
                }
            }
            return files;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Optional<SafetensorsHeader> header(ObjectReader reader, ObjectId id) throws IOException {
        try {
            ObjectLoader loader = reader.open(id, Constants.OBJ_BLOB);
            Optional<LfsPointer> pointer = pointer(loader);
            if (pointer.isEmpty()) {
                try (InputStream in = loader.openStream()) {
                    return Optional.of(SafetensorsReader.readHeader(in, loader.getSize()));
                }
            }
            Optional<Long> size = blobs.size(pointer.get().oid());
            if (size.isEmpty()) {
                return Optional.empty();
            }
            try (InputStream in = blobs.open(pointer.get().oid(), 0)) {
                return Optional.of(SafetensorsReader.readHeader(in, size.get()));
            }
        } catch (SafetensorsException e) {
            return Optional.empty();
        }
    }

    private static Optional<LfsPointer> pointer(ObjectLoader loader) throws IOException {
        return loader.getSize() < LfsPointer.MAX_POINTER_SIZE ? LfsPointer.parse(loader.getBytes()) : Optional.empty();
    }

    static boolean isFile(FileMode mode) {
        return mode.equals(FileMode.REGULAR_FILE) || mode.equals(FileMode.EXECUTABLE_FILE);
    }
}
