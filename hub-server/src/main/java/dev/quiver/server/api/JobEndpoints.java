package dev.quiver.server.api;

import dev.quiver.schema.repo.RepoType;
import dev.quiver.server.QuiverException;
import dev.quiver.server.Reason;
import dev.quiver.server.auth.Permissions;
import dev.quiver.server.jobs.Check;
import dev.quiver.server.jobs.CheckStore;
import dev.quiver.server.jobs.Job;
import dev.quiver.server.jobs.JobStore;
import dev.quiver.server.jobs.TrainingTrigger;
import dev.quiver.server.repo.RepoId;
import dev.quiver.server.repo.RepoStore;
import dev.quiver.server.repo.Revisions;
import io.helidon.http.HeaderNames;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Reading and steering jobs: the HF Jobs API shape ({@code /api/jobs/{namespace}[/{id}[/logs|metrics|events|cancel]]},
 * logs and metrics as server-sent events that follow a running job), Quiver's manual retrain, the
 * jobs of one repository, and the checks recorded on a revision.
 */
public final class JobEndpoints {
    private static final Duration STREAM_LIMIT = Duration.ofHours(6);

    private final JobStore jobs;
    private final TrainingTrigger training;
    private final CheckStore checks;
    private final RepoStore repos;
    private final Permissions permissions;

    public JobEndpoints(JobStore jobs, TrainingTrigger training, CheckStore checks, RepoStore repos,
            Permissions permissions) {
        this.jobs = jobs;
        this.training = training;
        this.checks = checks;
        this.repos = repos;
        this.permissions = permissions;
    }

    public void routes(Router.Builder r) {
        r.get("/api/jobs/{ns}", this::list);
        r.get("/api/jobs/{ns}/{id}", this::get);
        r.get("/api/jobs/{ns}/{id}/logs", c -> stream(c, (job, after) -> jobs.logs(job, after), true));
        r.get("/api/jobs/{ns}/{id}/metrics", c -> stream(c, (job, after) -> jobs.metrics(job, after), false));
        r.get("/api/jobs/{ns}/{id}/events", this::events);
        r.post("/api/jobs/{ns}/{id}/cancel", this::cancel);
        r.post("/api/quiver/train", this::train);
        r.get("/api/{type}/{ns}/{name}/jobs", this::repoJobs);
        r.get("/api/{type}/{ns}/{name}/checks/{rev*}", this::repoChecks);
    }

    private void list(Call call) {
        List<Map<String, Object>> out = jobs.byOwner(call.var("ns"), 200).stream()
                .filter(j -> repos.info(j.repo()).map(r -> permissions.canRead(call.caller(), r)).orElse(false))
                .map(JobJson::of).toList();
        call.sendJson(out);
    }

    private void get(Call call) {
        call.sendJson(JobJson.of(readable(call)));
    }

    private void cancel(Call call) {
        Job job = readable(call);
        permissions.writable(call.caller(), job.repo());
        call.sendJson(JobJson.of(jobs.cancel(job.id()).orElseThrow()));
    }

    private void train(Call call) {
        RepoId adapter = RepoId.of(RepoType.MODEL, call.json().path("repo").asText(""));
        permissions.writable(call.caller(), adapter);
        call.sendJson(JobJson.of(training.startManually(adapter, call.caller().name())));
    }

    private void repoJobs(Call call) {
        RepoId repo = call.repoId();
        permissions.readable(call.caller(), repo);
        call.sendJson(jobs.byRepo(repo, 100).stream().map(JobJson::of).toList());
    }

    private void repoChecks(Call call) {
        RepoId repo = call.repoId();
        permissions.readable(call.caller(), repo);
        String sha = Revisions.resolve(repos.git(repo), String.join("/", call.rest())).sha();
        List<Map<String, Object>> list = checks.of(repo, sha).stream().map(JobEndpoints::check).toList();
        call.sendJson(Map.of("commit", sha, "status", checks.status(repo, sha), "checks", list));
    }

    private static Map<String, Object> check(Check c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", c.name());
        m.put("status", c.status().wire());
        m.put("summary", c.summary());
        m.put("details", c.details());
        return m;
    }

    private Job readable(Call call) {
        Job job = jobs.get(call.var("id")).filter(j -> j.repo().owner().equals(call.var("ns")))
                .orElseThrow(() -> new QuiverException(Reason.NOT_FOUND, "Job not found"));
        repos.info(job.repo()).filter(r -> permissions.canRead(call.caller(), r))
                .orElseThrow(() -> new QuiverException(Reason.NOT_FOUND, "Job not found"));
        return job;
    }

    /**
     * Streams entries as server-sent events until the job has ended and every entry was sent; with
     * {@code follow=false}, sends what there is now and stops.
     */
    private void stream(Call call, BiFunction<String, Long, List<JobStore.Entry>> source, boolean wrap)
            throws IOException, InterruptedException {
        Job job = readable(call);
        call.response().header(HeaderNames.CONTENT_TYPE, "text/event-stream");
        call.response().header(HeaderNames.CACHE_CONTROL, "no-cache");
        Instant deadline = Instant.now().plus(STREAM_LIMIT);
        boolean follow = call.query("follow").map(Call::isTrue).orElse(true);
        long after = 0;
        try (OutputStream out = call.response().outputStream()) {
            while (Instant.now().isBefore(deadline)) {
                boolean ended = jobs.get(job.id()).map(j -> j.status().isFinal()).orElse(true);
                List<JobStore.Entry> entries = source.apply(job.id(), after);
                for (JobStore.Entry e : entries) {
                    String data = wrap ? dev.quiver.schema.json.Json.mapper().writeValueAsString(
                            Map.of("data", e.text(), "timestamp", Dates.iso(e.at()))) : e.text();
                    out.write(("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
                    after = e.seq();
                }
                out.flush();
                if (entries.isEmpty() && (ended || !follow)) {
                    return;
                }
                if (entries.isEmpty()) {
                    Thread.sleep(300);
                }
            }
        }
    }

    private void events(Call call) throws IOException, InterruptedException {
        Job job = readable(call);
        call.response().header(HeaderNames.CONTENT_TYPE, "text/event-stream");
        String last = "";
        try (OutputStream out = call.response().outputStream()) {
            Instant deadline = Instant.now().plus(STREAM_LIMIT);
            while (Instant.now().isBefore(deadline)) {
                Job now = jobs.get(job.id()).orElseThrow();
                String state = now.status().wire() + "|" + now.message();
                if (!state.equals(last)) {
                    last = state;
                    out.write(("data: " + dev.quiver.schema.json.Json.mapper().writeValueAsString(Map.of("type", "status",
                            "status", now.status().wire(), "message", now.message(), "timestamp",
                            Dates.iso(now.updatedAt()))) + "\n\n").getBytes(StandardCharsets.UTF_8));
                    out.flush();
                }
                if (now.status().isFinal()) {
                    return;
                }
                Thread.sleep(300);
            }
        }
    }
}
