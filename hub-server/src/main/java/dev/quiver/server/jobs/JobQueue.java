package dev.quiver.server.jobs;

import dev.quiver.server.repo.RepoId;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The job queue runners talk to: queueing wakes every runner waiting in a long-poll claim at once,
 * and a reaper, started once the hub listens, puts back jobs whose runner stopped renewing its lease.
 */
public final class JobQueue implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(JobQueue.class.getName());

    private final JobStore store;
    private final Duration lease;
    private final Object signal = new Object();
    private final Thread reaper;
    private volatile boolean running = true;

    public JobQueue(JobStore store, Duration lease) {
        this.store = store;
        this.lease = lease;
        this.reaper = Thread.ofVirtual().name("job-reaper").unstarted(this::reap);
    }

    /**
     * Starts the reaper; call it once runners can reach the hub. Jobs running now get a full lease
     * first: a lease measures a runner's silence while the hub listens, and runners that kept working
     * while the hub was down (restarted, upgraded) could not reach it to renew theirs.
     */
    public JobQueue start() {
        store.renewRunningLeases(lease);
        reaper.start();
        return this;
    }

    public JobStore store() {
        return store;
    }

    public Duration lease() {
        return lease;
    }

    public Job enqueue(JobKind kind, RepoId repo, String dedupeKey, JobSpec spec, String createdBy) {
        Job job = store.enqueue(kind, repo, dedupeKey, spec, createdBy);
        wake();
        return job;
    }

    /** Waits up to {@code wait} for a job and claims it for {@code runnerId}. */
    public Optional<Job> claim(String runnerId, Duration wait) throws InterruptedException {
        Instant deadline = Instant.now().plus(wait);
        while (true) {
            Optional<Job> job = store.claim(runnerId, lease);
            long left = Duration.between(Instant.now(), deadline).toMillis();
            if (job.isPresent() || left <= 0) {
                return job;
            }
            synchronized (signal) {
                signal.wait(Math.min(left, 1000));
            }
        }
    }

    /** Makes a job claimable again at once (used when its lease is known to be lost). */
    public void wake() {
        synchronized (signal) {
            signal.notifyAll();
        }
    }

    private void reap() {
        while (running) {
            try {
                Thread.sleep(Math.max(200, lease.toMillis() / 10));
                if (store.requeueExpired() > 0) {
                    wake();
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "job reaper failed; retrying", e);
            }
        }
    }

    @Override
    public void close() {
        running = false;
        reaper.interrupt();
    }
}
