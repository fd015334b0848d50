package dev.quiver.server.repo;

import dev.quiver.server.QuiverException;
import dev.quiver.server.Reason;
import dev.quiver.server.db.Outbox;
import dev.quiver.server.db.RepoEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheBuilder;
import org.eclipse.jgit.dircache.DirCacheEditor;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;

/**
 * Every write to a repository goes through here: the commit API, branch and tag changes, git push
 * (through {@link #locked}) and runner results. A write validates its content, writes objects,
 * stages its outbox event, moves the ref by compare-and-swap, and confirms the event. Writers to one
 * repository take turns, so concurrent commits without a {@code parentCommit} all land, in a line.
 */
public final class RepoWriter {
    private final RepoStore store;
    private final Outbox outbox;
    private final ContentRules rules;
    private final ConcurrentHashMap<RepoId, ReentrantLock> locks = new ConcurrentHashMap<>();

    public RepoWriter(RepoStore store, Outbox outbox, ContentRules rules) {
        this.store = store;
        this.outbox = outbox;
        this.rules = rules;
    }

    /** Runs {@code work} while no other write to {@code repo} runs (git push and housekeeping use this). */
    public <T> T locked(RepoId repo, Supplier<T> work) {
        ReentrantLock lock = locks.computeIfAbsent(repo, k -> new ReentrantLock(true));
        lock.lock();
        try {
            return work.get();
        } finally {
            lock.unlock();
        }
    }

    public CommitResult commit(CommitRequest request) {
        List<String> problems = validate(request);
        if (!problems.isEmpty()) {
            throw new QuiverException(Reason.BAD_REQUEST, String.join("\n", problems), problems);
        }
        return locked(request.repo(), () -> write(request));
    }

    private List<String> validate(CommitRequest request) {
        List<String> problems = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (FileChange change : request.changes()) {
            if (!seen.add(change.path().value())) {
                problems.add(change.path() + ": changed twice in one commit");
            }
            switch (change) {
                case FileChange.Put put -> problems.addAll(rules.checkFile(put.path().value(), put.content()));
                case FileChange.PutLfs lfs -> problems.addAll(rules.checkPointer(lfs.path().value(), lfs.pointer()));
                case FileChange.Delete d -> { }
                case FileChange.DeleteFolder d -> { }
            }
        }
        return problems;
    }

    private CommitResult write(CommitRequest request) {
        Repository git = store.git(request.repo());
        Revision base = Revisions.resolve(git, request.revision());
        String ref;
        Optional<Integer> pr = Optional.empty();
        if (request.createPr()) {
            int n = store.nextPullRequest(request.repo());
            pr = Optional.of(n);
            ref = "refs/pr/" + n;
        } else {
            if (!base.isBranch() && !base.ref().startsWith("refs/pr/")) {
                throw new QuiverException(Reason.BAD_REQUEST, "cannot commit to " + request.revision()
                        + ": commits go to a branch or a pull request");
            }
            ref = base.ref();
            if (request.parentCommit().isPresent() && !matches(base.commit(), request.parentCommit().get())) {
                throw new QuiverException(Reason.PRECONDITION_FAILED, "A commit has happened since. Please refresh"
                        + " and try again: " + request.revision() + " is at " + base.sha() + ", not "
                        + request.parentCommit().get());
            }
        }
        try (ObjectInserter ins = git.newObjectInserter()) {
            ObjectId tree = buildTree(git, ins, base.commit(), request.changes());
            ObjectId commit = ins.insert(commit(tree, base.commit(), request.author(), request.message()));
            ins.flush();
            ObjectId expectedOld = request.createPr() ? ObjectId.zeroId() : base.commit();
            moveRef(request.repo(), ref, expectedOld, commit, false);
            return new CommitResult(commit.name(), ref, pr);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean matches(RevCommit commit, String parent) {
        return parent.length() >= 7 && commit.name().startsWith(parent.toLowerCase());
    }

    private static CommitBuilder commit(ObjectId tree, RevCommit parent, PersonIdent author, String message) {
        CommitBuilder c = new CommitBuilder();
        c.setTreeId(tree);
        c.setParentId(parent);
        c.setAuthor(author);
        c.setCommitter(author);
        c.setMessage(message);
        return c;
    }

    private ObjectId buildTree(Repository git, ObjectInserter ins, RevCommit base, List<FileChange> changes)
            throws IOException {
        DirCache index = DirCache.newInCore();
        DirCacheBuilder builder = index.builder();
        try (ObjectReader reader = git.newObjectReader()) {
            builder.addTree(new byte[0], DirCacheEntry.STAGE_0, reader, base.getTree());
            builder.finish();
            byte[] attributes = attributesAfter(index, reader, changes);
            boolean attributesGrew = false;
            DirCacheEditor editor = index.editor();
            for (FileChange change : changes) {
                String path = change.path().value();
                switch (change) {
                    case FileChange.Put put -> editor.add(blob(path, ins.insert(Constants.OBJ_BLOB, put.content())));
                    case FileChange.PutLfs lfs -> {
                        byte[] pointer = lfs.pointer().text().getBytes(StandardCharsets.UTF_8);
                        editor.add(blob(path, ins.insert(Constants.OBJ_BLOB, pointer)));
                        GitAttributes current = GitAttributes.parse(attributes);
                        if (!current.isLfs(path)) {
                            attributes = current.withLfsPath(path);
                            attributesGrew = true;
                        }
                    }
                    case FileChange.Delete d -> {
                        if (index.findEntry(path) < 0) {
                            throw new QuiverException(Reason.ENTRY_NOT_FOUND, "File not found: " + path);
                        }
                        editor.add(new DirCacheEditor.DeletePath(path));
                    }
                    case FileChange.DeleteFolder d -> {
                        if (index.getEntriesWithin(path).length == 0) {
                            throw new QuiverException(Reason.ENTRY_NOT_FOUND, "Folder not found: " + path);
                        }
                        editor.add(new DirCacheEditor.DeleteTree(path));
                    }
                }
            }
            if (attributesGrew) {
                // keeps git-lfs clients treating every large file as LFS, as the Hub does
                editor.add(blob(GitAttributes.PATH, ins.insert(Constants.OBJ_BLOB, attributes)));
            }
            editor.finish();
            return index.writeTree(ins);
        }
    }

    /** The {@code .gitattributes} this commit starts from: the one it writes, else the base's, else none. */
    private static byte[] attributesAfter(DirCache index, ObjectReader reader, List<FileChange> changes)
            throws IOException {
        for (FileChange change : changes) {
            if (change instanceof FileChange.Put put && put.path().value().equals(GitAttributes.PATH)) {
                return put.content();
            }
        }
        DirCacheEntry entry = index.getEntry(GitAttributes.PATH);
        return entry == null ? new byte[0] : reader.open(entry.getObjectId()).getBytes();
    }

    private static DirCacheEditor.PathEdit blob(String path, ObjectId id) {
        return new DirCacheEditor.PathEdit(path) {
            @Override
            public void apply(DirCacheEntry entry) {
                entry.setFileMode(FileMode.REGULAR_FILE);
                entry.setObjectId(id);
            }
        };
    }

    /**
     * Moves {@code ref} from {@code expectedOld} to {@code newId} (zero ids create or delete it), with
     * its outbox event staged before and confirmed after. A ref that moved meanwhile is a 409.
     */
    public void moveRef(RepoId repo, String ref, ObjectId expectedOld, ObjectId newId, boolean force) {
        Repository git = store.git(repo);
        long seq = outbox.stage(RepoEvent.Kind.REF_UPDATED, repo, ref, expectedOld.name(), newId.name());
        RefUpdate.Result result;
        try {
            RefUpdate update = git.updateRef(ref);
            update.setExpectedOldObjectId(expectedOld);
            update.setNewObjectId(newId);
            update.setForceUpdate(force || newId.equals(ObjectId.zeroId()));
            update.setRefLogMessage("quiver", false);
            result = newId.equals(ObjectId.zeroId()) ? update.delete() : update.update();
        } catch (IOException e) {
            outbox.discard(seq);
            throw new UncheckedIOException(e);
        }
        switch (result) {
            case NEW, FAST_FORWARD, FORCED, NO_CHANGE -> outbox.confirm(seq);
            case LOCK_FAILURE, REJECTED, REJECTED_CURRENT_BRANCH, REJECTED_MISSING_OBJECT,
                    REJECTED_OTHER_REASON, NOT_ATTEMPTED, IO_FAILURE, RENAMED -> {
                outbox.discard(seq);
                if (result == RefUpdate.Result.IO_FAILURE) {
                    throw new QuiverException(Reason.UNAVAILABLE, "could not update " + ref + "; try again");
                }
                throw new QuiverException(Reason.CONFLICT, ref + " changed while this write was in progress ("
                        + result + "); refresh and try again");
            }
        }
    }

    /** Heals outbox events a crash left pending: confirmed if their commit is on the ref, dropped if not. */
    public void recover() {
        outbox.recover(event -> {
            try {
                Repository git = store.git(event.repo());
                var ref = git.exactRef(event.ref());
                ObjectId now = ref == null ? ObjectId.zeroId() : ref.getObjectId();
                return now.name().equals(event.newId());
            } catch (QuiverException | IOException e) {
                return false;
            }
        });
    }

    /** The default author for writes made by the hub itself. */
    public static PersonIdent hubIdent() {
        return new PersonIdent("Quiver", "hub@quiver.local");
    }
}
