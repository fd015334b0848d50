package dev.quiver.server.card;

import dev.quiver.schema.lfs.LfsPointer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.filter.AndTreeFilter;
import org.eclipse.jgit.treewalk.filter.PathFilterGroup;
import org.eclipse.jgit.treewalk.filter.TreeFilter;

/**
 * The files and directories of one commit. Regular and executable files are files; symlinks and
 * submodules are not served and do not appear. Listings come in git's tree order, which is stable,
 * so a path is a sound pagination cursor.
 */
public final class RevisionTree {
    private final Repository git;
    private final RevCommit commit;

    public RevisionTree(Repository git, RevCommit commit) {
        this.git = git;
        this.commit = commit;
    }

    /** The file or directory at {@code path} (already validated as a {@code RepoPath}). */
    public Optional<RepoEntry> entry(String path) {
        try (ObjectReader reader = git.newObjectReader(); TreeWalk walk = TreeWalk.forPath(reader, path, commit.getTree())) {
            return walk == null ? Optional.empty() : toEntry(reader, walk);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The entries below {@code dir} ({@code ""} for the root): its children, or with {@code recursive}
     * every file and directory under it, each directory before its contents. Empty when {@code dir} is
     * not a directory.
     */
    public Optional<List<RepoEntry>> list(String dir, boolean recursive) {
        try (ObjectReader reader = git.newObjectReader(); TreeWalk walk = new TreeWalk(reader)) {
            if (dir.isEmpty()) {
                walk.addTree(commit.getTree());
            } else {
                try (TreeWalk at = TreeWalk.forPath(reader, dir, commit.getTree())) {
                    if (at == null || !at.isSubtree()) {
                        return Optional.empty();
                    }
                    walk.addTree(at.getObjectId(0));
                }
            }
            String prefix = dir.isEmpty() ? "" : dir + "/";
            List<RepoEntry> out = new ArrayList<>();
            while (walk.next()) {
                toEntry(reader, walk).map(e -> withPrefix(prefix, e)).ifPresent(out::add);
                if (recursive && walk.isSubtree()) {
                    walk.enterSubtree();
                }
            }
            return Optional.of(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every file of the commit, recursively (the {@code siblings} of repo info). */
    public List<RepoEntry> files() {
        return list("", true).orElseThrow().stream().filter(e -> !e.directory()).toList();
    }

    /** The newest commit reachable from this one that changed {@code path}. */
    public Optional<RevCommit> lastCommit(String path) {
        try (RevWalk walk = new RevWalk(git)) {
            walk.setTreeFilter(AndTreeFilter.create(PathFilterGroup.createFromStrings(path), TreeFilter.ANY_DIFF));
            walk.markStart(walk.parseCommit(commit));
            RevCommit found = walk.next();
            return Optional.ofNullable(found);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static RepoEntry withPrefix(String prefix, RepoEntry e) {
        return prefix.isEmpty() ? e : new RepoEntry(prefix + e.path(), e.directory(), e.oid(), e.size(), e.lfs(),
                e.blobSize());
    }

    private static Optional<RepoEntry> toEntry(ObjectReader reader, TreeWalk walk) throws IOException {
        FileMode mode = walk.getFileMode(0);
        ObjectId id = walk.getObjectId(0);
        if (mode.equals(FileMode.TREE)) {
            return Optional.of(RepoEntry.directory(walk.getPathString(), id.name()));
        }
        if (!RevisionReader.isFile(mode)) {
            return Optional.empty();
        }
        long size = reader.getObjectSize(id, Constants.OBJ_BLOB);
        Optional<LfsPointer> pointer = size < LfsPointer.MAX_POINTER_SIZE
                ? LfsPointer.parse(reader.open(id, Constants.OBJ_BLOB).getBytes()) : Optional.empty();
        return Optional.of(RepoEntry.file(walk.getPathString(), id.name(), size, pointer));
    }
}
