package dev.quiver.server.card;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;
import org.eclipse.jgit.diff.DiffEntry;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.CanonicalTreeParser;
import org.eclipse.jgit.treewalk.EmptyTreeIterator;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.filter.TreeFilter;

/**
 * The files one commit changed, compared with its first parent (or with nothing, for a root commit).
 * Paths only, no content diff: adapters are binary and the UI lists what changed.
 */
public final class CommitChanges {
    /** How a file changed. */
    public enum Kind { ADDED, MODIFIED, DELETED }

    /** One changed file; {@code oldId} / {@code newId} are git blob ids, empty where the side has no file. */
    public record Change(String path, Kind kind, Optional<String> oldId, Optional<String> newId) {
    }

    private CommitChanges() {
    }

    /** Up to {@code limit} changes of {@code commit}, in path order, and whether more were left out. */
    public static Page of(Repository git, RevCommit commit, int limit) {
        try (ObjectReader reader = git.newObjectReader(); RevWalk walk = new RevWalk(reader);
                TreeWalk tw = new TreeWalk(reader)) {
            RevCommit c = walk.parseCommit(commit);
            if (c.getParentCount() == 0) {
                tw.addTree(new EmptyTreeIterator());
            } else {
                RevCommit parent = walk.parseCommit(c.getParent(0));
                CanonicalTreeParser p = new CanonicalTreeParser();
                p.reset(reader, parent.getTree());
                tw.addTree(p);
            }
            tw.addTree(c.getTree());
            tw.setRecursive(true);
            tw.setFilter(TreeFilter.ANY_DIFF);
            List<DiffEntry> entries = DiffEntry.scan(tw);
            List<Change> changes = entries.stream().limit(limit).map(CommitChanges::change).toList();
            return new Page(changes, entries.size());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The changes listed and how many there are in all. */
    public record Page(List<Change> changes, int total) {
        public Page {
            changes = List.copyOf(changes);
        }
    }

    private static Change change(DiffEntry e) {
        return switch (e.getChangeType()) {
            case ADD -> new Change(e.getNewPath(), Kind.ADDED, Optional.empty(), Optional.of(e.getNewId().name()));
            case DELETE -> new Change(e.getOldPath(), Kind.DELETED, Optional.of(e.getOldId().name()), Optional.empty());
            // without rename detection, MODIFY is the only other kind a two-tree scan reports
            case MODIFY, RENAME, COPY -> new Change(e.getNewPath(), Kind.MODIFIED, Optional.of(e.getOldId().name()),
                    Optional.of(e.getNewId().name()));
        };
    }
}
