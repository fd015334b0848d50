package dev.quiver.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quiver.server.QuiverException;
import dev.quiver.server.Reason;
import dev.quiver.server.jobs.Check;
import dev.quiver.server.jobs.Job;
import dev.quiver.server.jobs.JobQueue;
import dev.quiver.server.jobs.JobResults;
import dev.quiver.server.jobs.JobStatus;
import dev.quiver.server.jobs.JobStore;
import dev.quiver.server.jobs.RunnerStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The protocol runners speak: register, long-poll for a job, renew the lease by heartbeat, stream
 * logs and metrics, report the result. Runners act as a user with a write token (an admin's, for now).
 */
public final class RunnerEndpoints {
    private static final Duration MAX_WAIT = Duration.ofSeconds(30);

    private final JobQueue queue;
    private final JobResults results;
    private final RunnerStore runners;

    public RunnerEndpoints(JobQueue queue, JobResults results, RunnerStore runners) {
        this.queue = queue;
        this.results = results;
        this.runners = runners;
    }

    public void routes(Router.Builder r) {
        r.post("/api/runners", this::register);
        r.post("/api/runners/{runner}/claim", this::claim);
        r.post("/api/runners/{runner}/jobs/{job}/heartbeat", this::heartbeat);
        r.post("/api/runners/{runner}/jobs/{job}/logs", this::logs);
        r.post("/api/runners/{runner}/jobs/{job}/metrics", this::metrics);
        r.post("/api/runners/{runner}/jobs/{job}/complete", this::complete);
    }

    private void register(Call call) {
        requireRunner(call);
        JsonNode body = call.json();
        String id = RunnerStore.newId();
        String name = body.path("name").asText(id);
        runners.register(id, name, body.path("capabilities").toString(), call.caller().name());
        call.sendJson(Map.of("id", id, "name", name, "leaseSeconds", queue.lease().toSeconds()));
    }

    private void claim(Call call) throws InterruptedException {
        String runner = knownRunner(call);
        long waitSeconds = call.query("wait").map(Long::parseLong).orElse(25L);
        Duration wait = Duration.ofSeconds(Math.clamp(waitSeconds, 0, MAX_WAIT.toSeconds()));
        Optional<Job> job = queue.claim(runner, wait);
        if (job.isEmpty()) {
            call.response().status(io.helidon.http.Status.NO_CONTENT_204);
            call.response().send();
            return;
        }
        Map<String, Object> reply = new LinkedHashMap<>();
        reply.put("id", job.get().id());
        reply.put("kind", job.get().kind().name().toLowerCase(java.util.Locale.ROOT));
        reply.put("repo", job.get().repo().id());
        reply.put("attempt", job.get().attempts());
        reply.put("leaseSeconds", queue.lease().toSeconds());
        reply.put("spec", job.get().spec());
        call.sendJson(reply);
    }

    private void heartbeat(Call call) {
        String runner = knownRunner(call);
        JobStore.Heartbeat beat = queue.store().heartbeat(call.var("job"), runner, queue.lease());
        call.sendJson(Map.of("held", beat.held(), "cancel", beat.cancelAsked()));
    }

    private void logs(Call call) {
        knownRunner(call);
        queue.store().appendLogs(call.var("job"), strings(call.json().path("lines")));
        call.sendJson(Map.of());
    }

    private void metrics(Call call) {
        knownRunner(call);
        List<String> points = new ArrayList<>();
        for (JsonNode p : call.json().path("points")) {
            points.add(p.toString());
        }
        queue.store().appendMetrics(call.var("job"), points);
        call.sendJson(Map.of());
    }

    private void complete(Call call) {
        String runner = knownRunner(call);
        JsonNode body = call.json();
        JobStatus status = switch (body.path("status").asText("")) {
            case "succeeded" -> JobStatus.SUCCEEDED;
            case "failed" -> JobStatus.FAILED;
            case "cancelled" -> JobStatus.CANCELLED;
            default -> throw QuiverException.badRequest("status must be succeeded, failed or cancelled");
        };
        List<Check> checks = new ArrayList<>();
        for (JsonNode c : body.path("checks")) {
            checks.add(new Check(c.path("name").asText(), Check.Status.parse(c.path("status").asText("fail")),
                    c.path("summary").asText(""), c.path("details")));
        }
        Optional<String> commit = Optional.of(body.path("commit").asText("")).filter(s -> s.matches("[0-9a-f]{40}"));
        Job job = results.complete(call.var("job"), runner,
                new JobResults.Report(status, body.path("message").asText(""), commit, checks));
        call.sendJson(JobJson.of(job));
    }

    private String knownRunner(Call call) {
        requireRunner(call);
        String runner = call.var("runner");
        if (!runners.seen(runner)) {
            throw new QuiverException(Reason.NOT_FOUND, "unknown runner " + runner + ": register again");
        }
        return runner;
    }

    private static void requireRunner(Call call) {
        if (call.caller().isAnonymous()) {
            throw new QuiverException(Reason.UNAUTHORIZED, "runners must authenticate: pass a token with --token");
        }
        if (!call.caller().isAdmin() || !call.caller().canWriteWithToken()) {
            throw new QuiverException(Reason.FORBIDDEN, "runners need an admin write token");
        }
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        for (JsonNode n : array) {
            out.add(n.asText());
        }
        return out;
    }
}
