package dev.quiver.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quiver.schema.repo.RepoType;
import dev.quiver.server.repo.RepoId;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.junit.jupiter.api.Test;

/** Many writers on one branch: every acknowledged commit lands, history stays linear, readers see whole commits. */
class ConcurrentCommitIT {
    static final int WRITERS = 16;
    static final int COMMITS_EACH = 3;

    @Test
    void sixteenWritersOnOneBranchAllLandInALine() throws Exception {
        try (TestHub hub = TestHub.start()) {
            hub.createRepo("model", "acme/busy");
            ConcurrentLinkedQueue<String> acknowledged = new ConcurrentLinkedQueue<>();
            ConcurrentLinkedQueue<String> partialReads = new ConcurrentLinkedQueue<>();
            CountDownLatch go = new CountDownLatch(1);
            Repository git = hub.hub().repos().git(new RepoId(RepoType.MODEL, "acme", "busy"));
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<?>> writers = new ArrayList<>();
                for (int w = 0; w < WRITERS; w++) {
                    int writer = w;
                    writers.add(pool.submit(() -> {
                        go.await();
                        for (int c = 0; c < COMMITS_EACH; c++) {
                            // each commit writes two files that belong together; a reader must see both or neither
                            HttpResponse<String> r = CommitApi.to(hub, "models/acme/busy", "w" + writer + " c" + c)
                                    .file("w" + writer + "/c" + c + "/a.txt", "a").file("w" + writer + "/c" + c + "/b.txt", "b")
                                    .post("main");
                            acknowledged.add(CommitApi.commitOid(r));
                        }
                        return null;
                    }));
                }
                Future<?> reader = pool.submit(() -> {
                    go.await();
                    while (acknowledged.size() < WRITERS * COMMITS_EACH) {
                        checkWhole(git, partialReads);
                    }
                    return null;
                });
                go.countDown();
                for (Future<?> f : writers) {
                    f.get();
                }
                reader.get();
            }
            assertThat(partialReads).isEmpty();
            Set<String> history = new HashSet<>();
            try (RevWalk walk = new RevWalk(git)) {
                walk.markStart(walk.parseCommit(git.resolve("refs/heads/main")));
                for (RevCommit c : walk) {
                    history.add(c.name());
                    assertThat(c.getParentCount()).as("linear history").isLessThanOrEqualTo(1);
                }
            }
            assertThat(history).containsAll(acknowledged).hasSize(WRITERS * COMMITS_EACH + 1);
        }
    }

    private static void checkWhole(Repository git, ConcurrentLinkedQueue<String> partial) throws Exception {
        try (RevWalk walk = new RevWalk(git); TreeWalk tree = new TreeWalk(git)) {
            RevCommit head = walk.parseCommit(git.resolve("refs/heads/main"));
            tree.addTree(head.getTree());
            tree.setRecursive(true);
            Set<String> files = new HashSet<>();
            while (tree.next()) {
                files.add(tree.getPathString());
            }
            for (String f : files) {
                if (f.endsWith("/a.txt") && !files.contains(f.replace("/a.txt", "/b.txt"))) {
                    partial.add(head.name() + " has " + f + " without its b.txt");
                }
            }
        }
    }
}
