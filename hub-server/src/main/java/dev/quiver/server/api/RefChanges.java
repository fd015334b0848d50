package dev.quiver.server.api;

import dev.quiver.server.QuiverException;
import dev.quiver.server.Reason;
import dev.quiver.server.repo.RepoId;
import dev.quiver.server.repo.RepoStore;
import dev.quiver.server.repo.RepoWriter;
import dev.quiver.server.repo.Revision;
import dev.quiver.server.repo.Revisions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.TagBuilder;

/**
 * Branch and tag changes the API asks for. Names are checked as git ref names; every ref move goes
 * through {@link RepoWriter#moveRef}, which stages the outbox event and compares-and-swaps.
 */
final class RefChanges {
    private final RepoStore repos;
    private final RepoWriter writer;

    RefChanges(RepoStore repos, RepoWriter writer) {
        this.repos = repos;
        this.writer = writer;
    }

    /**
     * Creates branch {@code name} at {@code startingPoint} (the default branch when empty), or with
     * {@code empty} at a new commit with no files and no parent. An existing branch is a 409 unless
     * {@code overwrite}.
     */
    void createBranch(RepoId repo, String name, Optional<String> startingPoint, boolean empty, boolean overwrite,
            PersonIdent who) {
        String ref = refName(Constants.R_HEADS, name, "branch");
        Repository git = repos.git(repo);
        ObjectId current = current(git, ref);
        if (!current.equals(ObjectId.zeroId()) && !overwrite) {
            throw new QuiverException(Reason.CONFLICT, "Reference already exists: branch " + name);
        }
        ObjectId target = empty ? emptyCommit(git, who)
                : Revisions.resolve(git, startingPoint.filter(s -> !s.isBlank()).orElse(Constants.HEAD)).commit();
        writer.moveRef(repo, ref, current, target, true);
    }

    void deleteBranch(RepoId repo, String name) {
        String ref = refName(Constants.R_HEADS, name, "branch");
        if (name.equals(RepoStore.DEFAULT_BRANCH)) {
            throw new QuiverException(Reason.FORBIDDEN, "The default branch " + name + " cannot be deleted");
        }
        delete(repo, ref, "branch " + name);
    }

    /** Tags the commit {@code rev} names; with a message the tag is annotated. 409 if it exists. */
    void createTag(RepoId repo, Revision rev, String tag, String message, PersonIdent who) {
        String ref = refName(Constants.R_TAGS, tag, "tag");
        Repository git = repos.git(repo);
        if (!current(git, ref).equals(ObjectId.zeroId())) {
            throw new QuiverException(Reason.CONFLICT, "Reference already exists: tag " + tag);
        }
        ObjectId target = message.isBlank() ? rev.commit() : annotatedTag(git, rev, tag, message, who);
        writer.moveRef(repo, ref, ObjectId.zeroId(), target, false);
    }

    void deleteTag(RepoId repo, String tag) {
        delete(repo, refName(Constants.R_TAGS, tag, "tag"), "tag " + tag);
    }

    private void delete(RepoId repo, String ref, String what) {
        ObjectId current = current(repos.git(repo), ref);
        if (current.equals(ObjectId.zeroId())) {
            throw new QuiverException(Reason.REVISION_NOT_FOUND, "Invalid rev id: no " + what);
        }
        writer.moveRef(repo, ref, current, ObjectId.zeroId(), true);
    }

    private static String refName(String prefix, String name, String what) {
        if (name.isBlank() || name.startsWith("refs/") || name.equals(Constants.HEAD)
                || !Repository.isValidRefName(prefix + name) || name.length() > 255) {
            throw QuiverException.badRequest("invalid " + what + " name '" + name.replaceAll("\\p{Cntrl}", "?")
                    + "': use letters, digits, '-', '_', '.' and '/', as git allows");
        }
        return prefix + name;
    }

    private static ObjectId current(Repository git, String ref) {
        try {
            Ref r = git.exactRef(ref);
            return r == null || r.getObjectId() == null ? ObjectId.zeroId() : r.getObjectId();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ObjectId emptyCommit(Repository git, PersonIdent who) {
        try (ObjectInserter ins = git.newObjectInserter()) {
            CommitBuilder c = new CommitBuilder();
            c.setTreeId(ins.insert(Constants.OBJ_TREE, new byte[0]));
            c.setAuthor(who);
            c.setCommitter(who);
            c.setMessage("Empty branch\n");
            ObjectId id = ins.insert(c);
            ins.flush();
            return id;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ObjectId annotatedTag(Repository git, Revision rev, String tag, String message, PersonIdent who) {
        try (ObjectInserter ins = git.newObjectInserter()) {
            TagBuilder t = new TagBuilder();
            t.setObjectId(rev.commit());
            t.setTag(tag);
            t.setTagger(who);
            t.setMessage(message.endsWith("\n") ? message : message + "\n");
            ObjectId id = ins.insert(t);
            ins.flush();
            return id;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
