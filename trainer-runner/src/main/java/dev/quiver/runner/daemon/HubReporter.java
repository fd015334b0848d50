package dev.quiver.runner.daemon;

import dev.quiver.runner.train.StepMetrics;
import dev.quiver.runner.train.TrainingListener;
import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Sends a job's log lines and per-step metrics to the hub in small batches (at most one request a
 * second each), so the job page and {@code quiver jobs logs --follow} update live without one
 * request per step. A hub that is briefly unreachable loses no lines: they stay queued.
 */
final class HubReporter implements TrainingListener {
    private static final Logger LOG = Logger.getLogger(HubReporter.class.getName());

    private final RunnerApi api;
    private final String jobId;
    private final List<String> lines = new ArrayList<>();
    private final List<Map<String, Object>> points = new ArrayList<>();
    private final PrintStream console;
    private volatile boolean cancelled;
    private Instant lastFlush = Instant.EPOCH;

    HubReporter(RunnerApi api, String jobId, PrintStream console) {
        this.api = api;
        this.jobId = jobId;
        this.console = console;
    }

    synchronized void log(String line) {
        add(line);
        flushIfDue();
    }

    /** Queues a line for the hub and shows it in the runner's own output too. */
    private void add(String line) {
        lines.add(line);
        console.println("[job " + jobId + "] " + line);
    }

    /** Makes the next training step stop the run (the hub asked to cancel, or the lease is gone). */
    void cancel() {
        cancelled = true;
    }

    @Override
    public synchronized void onStep(StepMetrics m) {
        if (cancelled) {
            throw new JobCancelledException();
        }
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("step", m.step());
        p.put("total_steps", m.totalSteps());
        p.put("epoch", m.epoch());
        p.put("loss", m.loss());
        p.put("learning_rate", m.learningRate());
        p.put("grad_norm", m.gradNorm());
        p.put("tokens_per_second", m.tokensPerSecond());
        p.put("resident_bytes", m.residentBytes());
        points.add(p);
        if (m.step() % 10 == 0 || m.step() == m.totalSteps()) {
            add(String.format("step %d/%d  loss %.4f  lr %.2e  %.0f tok/s", m.step(), m.totalSteps(), m.loss(),
                    m.learningRate(), m.tokensPerSecond()));
        }
        flushIfDue();
    }

    @Override
    public synchronized void onEval(int epoch, double evalLoss) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("epoch", epoch);
        p.put("eval_loss", evalLoss);
        points.add(p);
        add(epoch == 0 ? String.format("eval loss of the base model: %.4f", evalLoss)
                : String.format("epoch %d: eval loss %.4f", epoch, evalLoss));
        flushIfDue();
    }

    private void flushIfDue() {
        if (Instant.now().isAfter(lastFlush.plusSeconds(1))) {
            flush();
        }
    }

    synchronized void flush() {
        lastFlush = Instant.now();
        try {
            if (!lines.isEmpty()) {
                api.logs(jobId, List.copyOf(lines));
                lines.clear();
            }
            if (!points.isEmpty()) {
                api.metrics(jobId, List.copyOf(points));
                points.clear();
            }
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "could not send progress; keeping it for the next try", e);
        }
    }

    /** Thrown from a training step to stop a cancelled job. */
    static final class JobCancelledException extends RuntimeException {
        JobCancelledException() {
            super("the job was cancelled");
        }
    }
}
