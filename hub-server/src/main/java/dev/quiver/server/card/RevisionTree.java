package dev.quiver.server.card;

import dev.quiver.schema.lfs.LfsPointer;
import dev.quiver.server.QuiverException;
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

    /** One page of a listing, and whether entries follow it. */
    public record Page(List<RepoEntry> entries, boolean more) {
    }

    /**
     * Up to {@code limit} entries below {@code dir} ({@code ""} for the root) that come after the
     * entry at {@code after} (from the start when empty): its children, or with {@code recursive}
     * every file and directory under it, each directory before its contents. Only the page's entries
     * have their blobs read. Empty when {@code dir} is not a directory; a {@code QuiverException}
     * (bad request) when {@code after} is not in the listing.
     */
    public Optional<Page> list(String dir, boolean recursive, Optional<String> after, int limit) {
        try (ObjectReader reader = git.newObjectReader()) {
            Optional<List<Item>> items = items(reader, dir, recursive);
            if (items.isEmpty()) {
                return Optional.empty();
            }
            List<Item> all = items.get();
            int start = 0;
            if (after.isPresent()) {
                start = indexAfter(all, after.get());
            }
            int end = (int) Math.min(all.size(), (long) start + limit);
            List<RepoEntry> entries = new ArrayList<>();
            for (Item item : all.subList(start, end)) {
                toEntry(reader, item).ifPresent(entries::add);
            }
            return Optional.of(new Page(entries, end < all.size()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A tree entry before its blob is read. */
    private record Item(String path, FileMode mode, ObjectId id) {
    }

    private Optional<List<Item>> items(ObjectReader reader, String dir, boolean recursive) throws IOException {
        try (TreeWalk walk = new TreeWalk(reader)) {
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
            List<Item> out = new ArrayList<>();
            while (walk.next()) {
                FileMode mode = walk.getFileMode(0);
                if (mode.equals(FileMode.TREE) || RevisionFiles.isFile(mode)) {
                    out.add(new Item(prefix + walk.getPathString(), mode, walk.getObjectId(0)));
                }
                if (recursive && walk.isSubtree()) {
                    walk.enterSubtree();
                }
            }
            return Optional.of(out);
        }
    }

    private static int indexAfter(List<Item> all, String path) {
        for (int i = 0; i < all.size(); i++) {
            if (all.get(i).path().equals(path)) {
                return i + 1;
            }
        }
        throw QuiverException.badRequest("invalid cursor: it does not point into this listing");
    }

    /** Every file of the commit, recursively (the {@code siblings} of repo info). */
    public List<RepoEntry> files() {
        return list("", true, Optional.empty(), Integer.MAX_VALUE).orElseThrow().entries().stream()
                .filter(e -> !e.directory()).toList();
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

    private static Optional<RepoEntry> toEntry(ObjectReader reader, TreeWalk walk) throws IOException {
        return toEntry(reader, new Item(walk.getPathString(), walk.getFileMode(0), walk.getObjectId(0)));
    }

    private static Optional<RepoEntry> toEntry(ObjectReader reader, Item item) throws IOException {
        if (item.mode().equals(FileMode.TREE)) {
            return Optional.of(RepoEntry.directory(item.path(), item.id().name()));
        }
        if (!RevisionFiles.isFile(item.mode())) {
            return Optional.empty();
        }
        long size = reader.getObjectSize(item.id(), Constants.OBJ_BLOB);
        Optional<LfsPointer> pointer = size < LfsPointer.MAX_POINTER_SIZE
                ? LfsPointer.parse(reader.open(item.id(), Constants.OBJ_BLOB).getBytes()) : Optional.empty();
        return Optional.of(RepoEntry.file(item.path(), item.id().name(), size, pointer));
    }
}
