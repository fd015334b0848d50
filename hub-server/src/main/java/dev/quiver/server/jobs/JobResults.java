package dev.quiver.server.jobs;

import dev.quiver.schema.recipe.Recipe;
import dev.quiver.server.QuiverException;
import dev.quiver.server.Reason;
import dev.quiver.server.repo.RepoStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.revwalk.RevWalk;

/**
 * What happens when a runner reports a job done: its checks are recorded on the adapter commit, a
 * trained adapter goes through the recipe's gate (and is promoted if it passes), and the job ends.
 */
public final class JobResults {
    private final JobStore store;
    private final RepoStore repos;
    private final CheckStore checks;
    private final StaticCheck staticCheck;
    private final Gate gate;

    public JobResults(JobStore store, RepoStore repos, CheckStore checks, StaticCheck staticCheck, Gate gate) {
        this.store = store;
        this.repos = repos;
        this.checks = checks;
        this.staticCheck = staticCheck;
        this.gate = gate;
    }

    /** A runner's report. */
    public record Report(JobStatus status, String message, Optional<String> commit, List<Check> checks) {
    }

    public Job complete(String jobId, String runnerId, Report report) {
        Job job = store.get(jobId).orElseThrow(() -> new QuiverException(Reason.NOT_FOUND, "no job " + jobId));
        JobStatus status = report.status();
        String message = report.message();
        Optional<String> commit = report.commit();
        if (job.kind() == JobKind.VERIFY && !report.checks().isEmpty()) {
            checks.record(job.repo(), job.spec().adapterCommit(), report.checks());
            commit = Optional.of(job.spec().adapterCommit());
            status = report.checks().stream().allMatch(Check::passed) ? status : JobStatus.FAILED;
        }
        if (job.kind() == JobKind.TRAIN && status == JobStatus.SUCCEEDED && commit.isPresent()) {
            List<Check> all = new ArrayList<>(report.checks());
            staticCheck.run(job.repo(), parse(job, commit.get())).ifPresent(all::add);
            checks.record(job.repo(), commit.get(), all);
            Recipe recipe = Recipe.parse(job.spec().recipe());
            Gate.Verdict verdict = gate.decide(job.repo(), commit.get(), recipe);
            message = verdict.summary();
            if (!verdict.passed()) {
                status = JobStatus.FAILED;
            } else if (recipe.output().candidateBranch().isPresent()) {
                Optional<String> blocked = gate.promote(job.repo(), commit.get(), recipe);
                if (blocked.isPresent()) {
                    status = JobStatus.FAILED;
                    message = message + "; " + blocked.get();
                }
            }
        }
        if (!store.finish(jobId, runnerId, status, message, commit)) {
            throw new QuiverException(Reason.CONFLICT, "job " + jobId + " is no longer held by runner " + runnerId
                    + " (its lease lapsed or it was cancelled)");
        }
        return store.get(jobId).orElseThrow();
    }

    private org.eclipse.jgit.revwalk.RevCommit parse(Job job, String commit) {
        try (RevWalk walk = new RevWalk(repos.git(job.repo()))) {
            return walk.parseCommit(ObjectId.fromString(commit));
        } catch (IOException | IllegalArgumentException e) {
            throw QuiverException.badRequest("commit " + commit + " is not in " + job.repo().id());
        }
    }
}
