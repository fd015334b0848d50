package dev.quiver.server.git;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quiver.schema.repo.RepoType;
import dev.quiver.server.TestHub;
import dev.quiver.server.repo.CommitRequest;
import dev.quiver.server.repo.FileChange;
import dev.quiver.server.repo.RepoId;
import dev.quiver.server.repo.RepoPath;
import dev.quiver.server.repo.RepoWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Repacking with bitmaps as history grows, never at the same time as a write. */
class HousekeepingIT {
    @TempDir
    Path tmp;

    @Test
    void historyWrittenThroughTheApiIsRepackedIntoOnePackWithBitmapsAndStillClones() throws Exception {
        try (TestHub hub = TestHub.start()) {
            hub.createRepo("model", "acme/growing");
            RepoId repo = RepoId.of(RepoType.MODEL, "acme/growing");
            Housekeeping housekeeping = new Housekeeping(hub.hub().repos(), hub.hub().writer(),
                    Housekeeping.Thresholds.defaults(), Duration.ZERO);
            for (int i = 0; i < 100; i++) {
                commit(hub, repo, "f" + (i % 7) + ".txt", "line " + i + "\n");
            }
            assertThat(housekeeping.needsRepack(repo)).isTrue();

            Properties after = housekeeping.repack(repo);

            assertThat(((Number) after.get("numberOfLooseObjects")).longValue()).isZero();
            assertThat(((Number) after.get("numberOfPackFiles")).longValue()).isEqualTo(1);
            assertThat(((Number) after.get("numberOfBitmaps")).longValue()).isPositive();
            assertThat(housekeeping.needsRepack(repo)).isFalse();
            GitCli git = GitCli.anonymous(tmp.resolve("home"));
            git.run(tmp, "clone", "-q", hub.url() + "/acme/growing", "c").ok();
            assertThat(git.run(tmp.resolve("c"), "rev-list", "--count", "HEAD").ok().out().strip()).isEqualTo("101");
            git.run(tmp, "--git-dir=" + hub.hub().repos().gitDir(repo), "fsck", "--strict").ok();
        }
    }

    @Test
    void aRepackWaitsForAWriteInProgressToFinish() throws Exception {
        try (TestHub hub = TestHub.start()) {
            hub.createRepo("model", "acme/busy");
            RepoId repo = RepoId.of(RepoType.MODEL, "acme/busy");
            Housekeeping housekeeping = new Housekeeping(hub.hub().repos(), hub.hub().writer(),
                    Housekeeping.Thresholds.defaults(), Duration.ZERO);
            CountDownLatch writing = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            AtomicLong writeEnded = new AtomicLong();
            Thread writer = Thread.ofVirtual().start(() -> hub.hub().writer().locked(repo, () -> {
                writing.countDown();
                await(release);
                writeEnded.set(System.nanoTime());
                return null;
            }));
            writing.await();
            AtomicLong repackEnded = new AtomicLong();
            Thread repack = Thread.ofVirtual().start(() -> {
                housekeeping.repack(repo);
                repackEnded.set(System.nanoTime());
            });
            assertThat(repack.join(Duration.ofMillis(300))).isFalse();
            release.countDown();
            writer.join();
            repack.join();
            assertThat(repackEnded.get()).isGreaterThan(writeEnded.get());
        }
    }

    @Test
    void refUpdatesScheduleARepackOnTheirOwn() throws Exception {
        try (TestHub hub = TestHub.start()) {
            hub.createRepo("model", "acme/auto");
            RepoId repo = RepoId.of(RepoType.MODEL, "acme/auto");
            try (Housekeeping housekeeping = new Housekeeping(hub.hub().repos(), hub.hub().writer(),
                    new Housekeeping.Thresholds(20, 8, 1000), Duration.ofMillis(50)).start(hub.hub().outbox())) {
                for (int i = 0; i < 10; i++) {
                    commit(hub, repo, "f.txt", "v" + i + "\n");
                }
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (housekeeping.needsRepack(repo) && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                assertThat(housekeeping.needsRepack(repo)).isFalse();
            }
        }
    }

    private static void commit(TestHub hub, RepoId repo, String path, String text) {
        hub.hub().writer().commit(new CommitRequest(repo, "main", Optional.empty(), "c", "", RepoWriter.hubIdent(),
                List.of(new FileChange.Put(new RepoPath(path), text.getBytes(StandardCharsets.UTF_8))), false));
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
