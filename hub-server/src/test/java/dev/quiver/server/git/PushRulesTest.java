package dev.quiver.server.git;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quiver.schema.repo.RepoType;
import dev.quiver.server.lfs.FileBlobStore;
import dev.quiver.server.repo.ContentRules;
import dev.quiver.server.repo.RepoId;
import dev.quiver.server.repo.RepoInfo;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
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
import org.eclipse.jgit.lib.TreeFormatter;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.ReceiveCommand;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The push rules on real JGit repositories, including the hostile trees a hand-made push can carry. */
class PushRulesTest {
    private static final String MAIN = "refs/heads/main";

    @TempDir
    Path tmp;

    private Repository git;
    private FileBlobStore blobs;
    private PushRules rules;
    private ObjectId base;

    @BeforeEach
    void setUp() throws Exception {
        git = FileRepositoryBuilder.create(tmp.resolve("repo.git").toFile());
        git.create(true);
        git.getRefDatabase().newUpdate(Constants.HEAD, false).link(MAIN);
        blobs = new FileBlobStore(tmp.resolve("lfs"));
        rules = new PushRules(new ContentRules(blobs));
        base = commit(ObjectId.zeroId(), Map.of(".gitattributes", "*.bin filter=lfs diff=lfs merge=lfs -text\n"));
        setRef(MAIN, base);
    }

    private static RepoInfo info(boolean allowForcePush) {
        return new RepoInfo(RepoId.of(RepoType.MODEL, "acme/x"), false, "false", allowForcePush, 0, 0, Instant.now());
    }

    private List<String> check(ReceiveCommand... commands) throws IOException {
        return rules.check(git, info(false), List.of(commands));
    }

    private ReceiveCommand update(ObjectId newId) {
        return new ReceiveCommand(base, newId, MAIN);
    }

    @Test
    void aPushOfValidFilesHasNoProblems() throws Exception {
        String oid = storeBlob("weights".getBytes(StandardCharsets.UTF_8));
        ObjectId c = commit(base, Map.of("README.md", "---\nlicense: mit\n---\n# Hi\n", "w.bin", pointer(oid, 7),
                "notes/a.txt", "hello\n"));
        assertThat(check(update(c))).isEmpty();
    }

    @Test
    void aPointerToAMissingObjectIsReportedWithItsCommitAndPath() throws Exception {
        ObjectId c = commit(base, Map.of("models/w.bin", pointer("cd".repeat(32), 99)));
        assertThat(check(update(c))).singleElement().asString()
                .startsWith("commit " + c.abbreviate(7).name() + ": models/w.bin: LFS object")
                .contains("was never uploaded");
    }

    @Test
    void aPointerWhoseSizeDisagreesWithTheStoredObjectIsRefused() throws Exception {
        String oid = storeBlob("twelve bytes".getBytes(StandardCharsets.UTF_8));
        ObjectId c = commit(base, Map.of("w.bin", pointer(oid, 13)));
        assertThat(check(update(c))).singleElement().asString().contains("says 13 bytes");
    }

    @Test
    void everyNewCommitIsCheckedNotOnlyTheTip() throws Exception {
        ObjectId broken = commit(base, Map.of("README.md", "---\nlicense: [x\n---\n"));
        ObjectId fixed = commit(broken, Map.of("README.md", "---\nlicense: mit\n---\n"));
        assertThat(check(update(fixed))).singleElement().asString()
                .startsWith("commit " + broken.abbreviate(7).name() + ": README.md front matter, line");
    }

    @Test
    void commitsAlreadyOnARefAreNotCheckedAgain() throws Exception {
        ObjectId old = commit(base, Map.of("README.md", "---\nlicense: [x\n---\n"));
        setRef(MAIN, old);
        ObjectId next = commit(old, Map.of("a.txt", "a\n"));
        assertThat(rules.check(git, info(false), List.of(new ReceiveCommand(old, next, MAIN)))).isEmpty();
    }

    @Test
    void anInvalidRecipeListsItsErrors() throws Exception {
        ObjectId c = commit(base, Map.of("quiver.yaml", "base_model: 3\n"));
        assertThat(check(update(c))).isNotEmpty().allSatisfy(p -> assertThat(p).contains("quiver.yaml"));
    }

    @Test
    void hostilePathsAreRefused() throws Exception {
        for (String path : List.of("a\\b.txt", "ctl\u0001.txt", "x/.GIT/config", "s".repeat(256))) {
            ObjectId c = commitRaw(base, path, FileMode.REGULAR_FILE, blob("x"));
            assertThat(check(update(c))).as(path).singleElement().asString().contains("invalid path");
        }
    }

    @Test
    void submodulesAreRefused() throws Exception {
        ObjectId c = commitRaw(base, "sub", FileMode.GITLINK, ObjectId.fromString("12".repeat(20)));
        assertThat(check(update(c))).singleElement().asString().contains("sub: submodules are not supported");
    }

    @Test
    void aModelCardLargerThanTheLimitIsRefusedWithoutParsing() throws Exception {
        ObjectId c = commitRaw(base, "README.md", FileMode.REGULAR_FILE,
                blob("#".repeat((int) PushRules.MAX_CHECKED_TEXT + 1)));
        assertThat(check(update(c))).singleElement().asString().contains("README.md is larger than 8 MiB");
    }

    @Test
    void onlyBranchesAndTagsArePushable() throws Exception {
        ObjectId c = commit(base, Map.of("a.txt", "a\n"));
        for (String ref : List.of("refs/pr/1", "refs/notes/commits", "refs/meta/config")) {
            assertThat(check(new ReceiveCommand(ObjectId.zeroId(), c, ref))).as(ref).singleElement().asString()
                    .contains("only refs/heads/* and refs/tags/* can be pushed");
        }
        assertThat(check(new ReceiveCommand(ObjectId.zeroId(), c, "refs/tags/v1"))).isEmpty();
    }

    @Test
    void deletionsNeedForcePushesAndTheDefaultBranchIsNeverDeleted() throws Exception {
        setRef("refs/heads/side", base);
        ReceiveCommand deleteSide = new ReceiveCommand(base, ObjectId.zeroId(), "refs/heads/side");
        assertThat(rules.check(git, info(false), List.of(deleteSide))).singleElement().asString()
                .contains("allowForcePush");
        assertThat(rules.check(git, info(true), List.of(deleteSide))).isEmpty();
        ReceiveCommand deleteMain = new ReceiveCommand(base, ObjectId.zeroId(), MAIN);
        assertThat(rules.check(git, info(true), List.of(deleteMain))).singleElement().asString()
                .contains("default branch cannot be deleted");
    }

    @Test
    void refsMustPointAtCommits() throws Exception {
        ObjectId tree;
        try (ObjectInserter ins = git.newObjectInserter()) {
            tree = ins.insert(new TreeFormatter());
            ins.flush();
        }
        assertThat(check(new ReceiveCommand(ObjectId.zeroId(), tree, "refs/tags/tree"))).singleElement().asString()
                .contains("is not a commit");
    }

    @Test
    void manyProblemsAreCappedSoTheMessageStaysReadable() throws Exception {
        Map<String, String> files = new LinkedHashMap<>();
        for (int i = 0; i < 200; i++) {
            files.put("w" + i + ".bin", pointer(String.format("%064x", i), 10));
        }
        assertThat(check(update(commit(base, files)))).hasSize(PushRules.MAX_PROBLEMS);
    }

    private String storeBlob(byte[] content) throws Exception {
        String oid = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        blobs.put(oid, content.length, new ByteArrayInputStream(content));
        return oid;
    }

    private static String pointer(String oid, long size) {
        return "version https://git-lfs.github.com/spec/v1\noid sha256:" + oid + "\nsize " + size + "\n";
    }

    private ObjectId blob(String text) throws IOException {
        try (ObjectInserter ins = git.newObjectInserter()) {
            ObjectId id = ins.insert(Constants.OBJ_BLOB, text.getBytes(StandardCharsets.UTF_8));
            ins.flush();
            return id;
        }
    }

    /** A commit whose tree is {@code parent}'s plus {@code files}. */
    private ObjectId commit(ObjectId parent, Map<String, String> files) throws IOException {
        try (ObjectInserter ins = git.newObjectInserter()) {
            DirCache index = DirCache.newInCore();
            DirCacheBuilder b = index.builder();
            if (!parent.equals(ObjectId.zeroId())) {
                try (var reader = git.newObjectReader(); var walk = new org.eclipse.jgit.revwalk.RevWalk(reader)) {
                    b.addTree(new byte[0], DirCacheEntry.STAGE_0, reader, walk.parseCommit(parent).getTree());
                }
            }
            b.finish();
            var editor = index.editor();
            for (var f : files.entrySet()) {
                ObjectId id = ins.insert(Constants.OBJ_BLOB, f.getValue().getBytes(StandardCharsets.UTF_8));
                editor.add(new org.eclipse.jgit.dircache.DirCacheEditor.PathEdit(f.getKey()) {
                    @Override
                    public void apply(DirCacheEntry e) {
                        e.setFileMode(FileMode.REGULAR_FILE);
                        e.setObjectId(id);
                    }
                });
            }
            editor.finish();
            ObjectId c = ins.insert(commitOf(index.writeTree(ins), parent));
            ins.flush();
            return c;
        }
    }

    /** A commit with one entry written by hand, so names DirCache would refuse still get in. */
    private ObjectId commitRaw(ObjectId parent, String name, FileMode mode, ObjectId id) throws IOException {
        try (ObjectInserter ins = git.newObjectInserter()) {
            ObjectId tree = treeFor(ins, name.split("/"), 0, mode, id);
            ObjectId c = ins.insert(commitOf(tree, parent));
            ins.flush();
            return c;
        }
    }

    private static ObjectId treeFor(ObjectInserter ins, String[] parts, int i, FileMode mode, ObjectId id)
            throws IOException {
        TreeFormatter tf = new TreeFormatter();
        if (i == parts.length - 1) {
            tf.append(parts[i].getBytes(StandardCharsets.UTF_8), mode, id);
        } else {
            tf.append(parts[i].getBytes(StandardCharsets.UTF_8), FileMode.TREE, treeFor(ins, parts, i + 1, mode, id));
        }
        return ins.insert(tf);
    }

    private static CommitBuilder commitOf(ObjectId tree, ObjectId parent) {
        CommitBuilder cb = new CommitBuilder();
        cb.setTreeId(tree);
        if (!parent.equals(ObjectId.zeroId())) {
            cb.setParentId(parent);
        }
        PersonIdent who = new PersonIdent("T", "t@example.com");
        cb.setAuthor(who);
        cb.setCommitter(who);
        cb.setMessage("m\n");
        return cb;
    }

    private void setRef(String ref, ObjectId id) throws IOException {
        RefUpdate u = git.updateRef(ref);
        u.setNewObjectId(id);
        u.setForceUpdate(true);
        u.update();
    }
}
