package dev.quiver.server.git;

import dev.quiver.server.QuiverException;
import dev.quiver.server.db.Outbox;
import dev.quiver.server.db.OutboxSubscriber;
import dev.quiver.server.db.RepoEvent;
import dev.quiver.server.repo.RepoId;
import dev.quiver.server.repo.RepoStore;
import dev.quiver.server.repo.RepoWriter;
import java.time.Duration;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;

/**
 * Keeps clones fast as history grows: after a repository's refs move (commit API, push), it is
 * repacked into one pack with reachability bitmaps once it has gathered enough loose objects or
 * packs, or holds many objects without a bitmap. A repack runs while holding the repository's write
 * lock ({@link RepoWriter#locked}), so it never overlaps a write, and a short delay lets a burst of
 * writes settle first. Objects no ref reaches are pruned only after JGit's two-week grace period, so
 * a push whose pack is still arriving is never harmed.
 */
public final class Housekeeping implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Housekeeping.class.getName());

    /** When a repository is worth repacking. */
    public record Thresholds(int looseObjects, int packFiles, int objectsWithoutBitmap) {
        public static Thresholds defaults() {
            return new Thresholds(256, 8, 1000);
        }
    }

    private final RepoStore repos;
    private final RepoWriter writer;
    private final Thresholds thresholds;
    private final Duration delay;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("git-housekeeping").daemon().factory());
    private final Set<RepoId> scheduled = ConcurrentHashMap.newKeySet();
    private OutboxSubscriber subscriber;

    public Housekeeping(RepoStore repos, RepoWriter writer, Thresholds thresholds, Duration delay) {
        this.repos = repos;
        this.writer = writer;
        this.thresholds = thresholds;
        this.delay = delay;
    }

    /** Starts following the outbox for ref updates. */
    public Housekeeping start(Outbox outbox) {
        subscriber = OutboxSubscriber.start("git-housekeeping", outbox, this::onEvent);
        return this;
    }

    private void onEvent(RepoEvent event) {
        if (event.kind() == RepoEvent.Kind.REF_UPDATED && scheduled.add(event.repo())) {
            scheduler.schedule(() -> runScheduled(event.repo()), delay.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void runScheduled(RepoId repo) {
        scheduled.remove(repo);
        try {
            if (needsRepack(repo)) {
                repack(repo);
            }
        } catch (QuiverException e) {
            LOG.log(Level.FINE, "housekeeping skipped " + repo.id() + ": " + e.getMessage());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "housekeeping of " + repo.id() + " failed", e);
        }
    }

    /** Whether {@code repo} has gathered enough loose objects or packs, or lacks bitmaps. */
    public boolean needsRepack(RepoId repo) {
        Properties stats = statistics(repo);
        long loose = number(stats, "numberOfLooseObjects");
        long packs = number(stats, "numberOfPackFiles");
        long packed = number(stats, "numberOfPackedObjects");
        long bitmaps = number(stats, "numberOfBitmaps");
        return loose >= thresholds.looseObjects() || packs >= thresholds.packFiles()
                || (bitmaps == 0 && packed + loose >= thresholds.objectsWithoutBitmap());
    }

    /** Repacks {@code repo} into one pack with bitmaps, holding its write lock; returns JGit's statistics after. */
    public Properties repack(RepoId repo) {
        return writer.locked(repo, () -> {
            try {
                Git git = Git.wrap(repos.git(repo));
                git.gc().call();
                return git.gc().getStatistics();
            } catch (GitAPIException e) {
                throw new IllegalStateException("repack of " + repo.id() + " failed", e);
            }
        });
    }

    private Properties statistics(RepoId repo) {
        try {
            return Git.wrap(repos.git(repo)).gc().getStatistics();
        } catch (GitAPIException e) {
            throw new IllegalStateException("cannot read statistics of " + repo.id(), e);
        }
    }

    private static long number(Properties stats, String key) {
        Object v = stats.get(key);
        return v instanceof Number n ? n.longValue() : 0;
    }

    @Override
    public void close() {
        if (subscriber != null) {
            subscriber.close();
        }
        scheduler.shutdownNow();
    }
}
