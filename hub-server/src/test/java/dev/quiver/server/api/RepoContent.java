package dev.quiver.server.api;

import dev.quiver.schema.lfs.LfsPointer;
import dev.quiver.schema.repo.RepoType;
import dev.quiver.server.TestHub;
import dev.quiver.server.repo.CommitRequest;
import dev.quiver.server.repo.CommitResult;
import dev.quiver.server.repo.FileChange;
import dev.quiver.server.repo.RepoId;
import dev.quiver.server.repo.RepoPath;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.PersonIdent;

/** Writes test content into a hub's repositories through the real write path ({@code RepoWriter}). */
final class RepoContent {
    private final TestHub hub;
    private final RepoId repo;
    private final Map<String, byte[]> regular = new LinkedHashMap<>();
    private final Map<String, byte[]> lfs = new LinkedHashMap<>();

    private RepoContent(TestHub hub, RepoId repo) {
        this.hub = hub;
        this.repo = repo;
    }

    static RepoContent in(TestHub hub, String modelId) {
        return new RepoContent(hub, RepoId.of(RepoType.MODEL, modelId));
    }

    static RepoContent in(TestHub hub, RepoId repo) {
        return new RepoContent(hub, repo);
    }

    RepoContent file(String path, String text) {
        return file(path, text.getBytes(StandardCharsets.UTF_8));
    }

    RepoContent file(String path, byte[] bytes) {
        regular.put(path, bytes);
        return this;
    }

    /** A file stored in LFS: the bytes go to the blob store, the pointer into git. */
    RepoContent lfs(String path, byte[] bytes) {
        lfs.put(path, bytes);
        return this;
    }

    /** Commits everything added so far to {@code branch} and returns the commit id. */
    String commit(String branch, String summary) {
        List<FileChange> changes = new ArrayList<>();
        regular.forEach((p, b) -> changes.add(new FileChange.Put(new RepoPath(p), b)));
        lfs.forEach((p, b) -> {
            String oid = sha256(b);
            hub.hub().blobs().put(oid, b.length, new ByteArrayInputStream(b));
            changes.add(new FileChange.PutLfs(new RepoPath(p), new LfsPointer(oid, b.length)));
        });
        CommitResult r = hub.hub().writer().commit(new CommitRequest(repo, branch, Optional.empty(), summary, "",
                new PersonIdent("alice", "alice@example.com"), changes, false));
        regular.clear();
        lfs.clear();
        return r.commitId();
    }

    String commit() {
        return commit("main", "test content");
    }

    /** Creates branch or ref {@code ref} at {@code commit} through the writer. */
    void ref(String ref, String commit) {
        hub.hub().writer().moveRef(repo, ref, ObjectId.zeroId(), ObjectId.fromString(commit), false);
    }

    static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The git blob id of {@code content}, as {@code git hash-object} computes it. */
    static String gitBlobId(byte[] content) {
        try (var f = new org.eclipse.jgit.lib.ObjectInserter.Formatter()) {
            return f.idFor(Constants.OBJ_BLOB, content).name();
        }
    }
}
