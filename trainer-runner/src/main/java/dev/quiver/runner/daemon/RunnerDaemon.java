package dev.quiver.runner.daemon;

import dev.quiver.client.Downloader;
import dev.quiver.client.HfCache;
import dev.quiver.client.HubClient;
import dev.quiver.client.TransferListener;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A runner attached to a hub: claims one job at a time by long-poll, keeps its lease alive with a
 * heartbeat while it works, and reports the outcome. Training runs in this JVM, one job after
 * another (DJL allows one gradient collector per process). A job it loses (lease lapsed, or
 * cancelled on the hub) stops at the next training step. A hub that goes away (restarted, network
 * down) is waited for with {@link HubPatience}: the job goes on, and its result is reported once
 * the hub is back.
 */
public final class RunnerDaemon implements Runnable {
    private static final Logger LOG = Logger.getLogger(RunnerDaemon.class.getName());
    private static final Duration CLAIM_WAIT = Duration.ofSeconds(25);

    private final RunnerApi api;
    private final JobExecution execution;
    private final Duration heartbeat;
    private final boolean once;
    private final PrintStream console;
    private volatile boolean running = true;

    /** {@code console} shows each job's log lines as they go to the hub (the demo streams them from the hub instead). */
    public RunnerDaemon(HubClient client, RunnerApi api, HfCache cache, Path workDir, Duration heartbeat, boolean once,
            PrintStream console) {
        this.api = api;
        this.console = console;
        this.execution = new JobExecution(client, new Downloader(client, cache, TransferListener.NONE, 4), workDir,
                HubPatience.DEFAULT);
        this.heartbeat = heartbeat;
        this.once = once;
    }

    public static Map<String, Object> capabilities() {
        return Map.of("gpu", false, "cpus", Runtime.getRuntime().availableProcessors(),
                "memory_bytes", Runtime.getRuntime().maxMemory(), "architectures", java.util.List.of("llama", "mistral",
                        "qwen2", "gpt2"));
    }

    @Override
    public void run() {
        while (running) {
            Optional<ClaimedJob> job;
            try {
                job = HubPatience.DEFAULT.call("waiting for a job", () -> api.claim(CLAIM_WAIT));
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "the hub refused a claim; retrying in 5 s: " + e.getMessage());
                sleep(Duration.ofSeconds(5));
                continue;
            }
            job.ifPresent(this::work);
            if (once && job.isPresent()) {
                return;
            }
        }
    }

    public void stop() {
        running = false;
    }

    private void work(ClaimedJob job) {
        HubReporter reporter = new HubReporter(api, job.id(), console);
        reporter.log(job.kind() + " job " + job.id() + " claimed by " + api.runnerId() + " (attempt " + job.attempt()
                + "): " + job.trigger());
        ScheduledExecutorService beats = Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().factory());
        beats.scheduleAtFixedRate(() -> beat(job, reporter), heartbeat.toMillis(), heartbeat.toMillis(),
                TimeUnit.MILLISECONDS);
        Map<String, Object> report;
        try {
            report = execution.run(job, reporter);
        } catch (HubReporter.JobCancelledException e) {
            report = JobExecution.report("cancelled", "cancelled while training", Optional.empty(), java.util.List.of());
        } catch (Exception e) {
            LOG.log(Level.WARNING, "job " + job.id() + " failed", e);
            reporter.log("failed: " + e.getMessage());
            report = JobExecution.report("failed", String.valueOf(e.getMessage()), Optional.empty(), java.util.List.of());
        } finally {
            beats.shutdownNow();
        }
        reporter.flush();
        Map<String, Object> result = report;
        try {
            HubPatience.DEFAULT.call("reporting job " + job.id(), () -> api.complete(job.id(), result));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "the hub did not take the result of job " + job.id() + ": " + e.getMessage());
        }
    }

    private void beat(ClaimedJob job, HubReporter reporter) {
        try {
            RunnerApi.Beat beat = api.heartbeat(job.id());
            if (!beat.held() || beat.cancel()) {
                reporter.cancel();
            }
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "heartbeat failed; the next one may get through", e);
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
