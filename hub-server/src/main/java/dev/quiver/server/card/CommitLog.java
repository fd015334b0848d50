package dev.quiver.server.card;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevSort;
import org.eclipse.jgit.revwalk.RevWalk;

/**
 * The history of a revision, newest first in git's commit-time order with topological ties broken,
 * so pages of one listing never overlap or skip while the start commit stays the same.
 */
public final class CommitLog {
    private final Repository git;
    private final RevCommit start;

    public CommitLog(Repository git, RevCommit start) {
        this.git = git;
        this.start = start;
    }

    /** Up to {@code limit} commits after skipping the first {@code skip}. */
    public List<RevCommit> page(long skip, int limit) {
        try (RevWalk walk = walk()) {
            List<RevCommit> out = new ArrayList<>();
            long index = 0;
            for (RevCommit c : walk) {
                if (index++ < skip) {
                    continue;
                }
                if (out.size() == limit) {
                    break;
                }
                out.add(c);
            }
            return out;
        }
    }

    /** How many commits the history holds. */
    public long count() {
        try (RevWalk walk = walk()) {
            walk.setRetainBody(false);
            long n = 0;
            for (RevCommit ignored : walk) {
                n++;
            }
            return n;
        }
    }

    private RevWalk walk() {
        RevWalk walk = new RevWalk(git);
        try {
            walk.sort(RevSort.COMMIT_TIME_DESC);
            walk.sort(RevSort.TOPO, true);
            walk.markStart(walk.parseCommit(start));
            return walk;
        } catch (IOException e) {
            walk.close();
            throw new UncheckedIOException(e);
        }
    }
}
