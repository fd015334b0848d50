package dev.quiver.server.card;

import dev.quiver.schema.lfs.LfsPointer;
import dev.quiver.server.lfs.FileBlobStore;
import dev.quiver.server.repo.Revision;
import dev.quiver.server.repo.Revisions;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheBuilder;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/** A bare repository and a blob store in a temp dir, with one-line commits of whole trees. */
final class GitFixture implements AutoCloseable {
    final Repository git;
    final FileBlobStore blobs;

    GitFixture(Path dir) {
        try {
            git = FileRepositoryBuilder.create(dir.resolve("repo.git").toFile());
            git.create(true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        blobs = new FileBlobStore(dir.resolve("lfs"));
    }

    /** Stores {@code content} in the blob store and returns the pointer file's bytes. */
    byte[] lfs(byte[] content) {
        String oid = sha256(content);
        blobs.put(oid, content.length, new ByteArrayInputStream(content));
        return new LfsPointer(oid, content.length).text().getBytes(StandardCharsets.US_ASCII);
    }

    /** Commits exactly {@code files} (path -> bytes) on main and returns the resolved revision. */
    Revision commit(Map<String, byte[]> files) {
        try (ObjectInserter ins = git.newObjectInserter()) {
            DirCache index = DirCache.newInCore();
            DirCacheBuilder b = index.builder();
            for (Map.Entry<String, byte[]> f : new java.util.TreeMap<>(files).entrySet()) {
                DirCacheEntry e = new DirCacheEntry(f.getKey());
                e.setFileMode(FileMode.REGULAR_FILE);
                e.setObjectId(ins.insert(Constants.OBJ_BLOB, f.getValue()));
                b.add(e);
            }
            b.finish();
            CommitBuilder c = new CommitBuilder();
            c.setTreeId(index.writeTree(ins));
            PersonIdent who = new PersonIdent("t", "t@example.com");
            c.setAuthor(who);
            c.setCommitter(who);
            c.setMessage("test\n");
            var head = git.exactRef("refs/heads/main");
            if (head != null) {
                c.setParentId(head.getObjectId());
            }
            ObjectId id = ins.insert(c);
            ins.flush();
            RefUpdate u = git.updateRef("refs/heads/main");
            u.setNewObjectId(id);
            u.setForceUpdate(true);
            u.update();
            return Revisions.resolve(git, "main");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        git.close();
    }
}
