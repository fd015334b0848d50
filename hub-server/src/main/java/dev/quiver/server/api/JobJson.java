package dev.quiver.server.api;

import dev.quiver.server.jobs.Job;
import java.util.LinkedHashMap;
import java.util.Map;

/** A job in the shape of the HF Jobs API (what {@code @huggingface/hub}'s job functions parse), plus Quiver's own fields. */
final class JobJson {
    private JobJson() {
    }

    static Map<String, Object> of(Job job) {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("stage", job.status().hfStage());
        status.put("message", job.message());
        status.put("failureCount", Math.max(0, job.attempts() - 1));
        Map<String, Object> owner = Map.of("id", job.repo().owner(), "name", job.repo().owner(), "type", "user");
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "job");
        m.put("id", job.id());
        m.put("status", status);
        m.put("createdAt", Dates.iso(job.createdAt()));
        m.put("updatedAt", Dates.iso(job.updatedAt()));
        m.put("startedAt", job.startedAt().map(Dates::iso).orElse(null));
        m.put("finishedAt", job.finishedAt().map(Dates::iso).orElse(null));
        m.put("createdBy", Map.of("id", job.createdBy(), "name", job.createdBy()));
        m.put("owner", owner);
        m.put("command", null);
        m.put("flavor", "cpu-basic");
        m.put("attempts", job.attempts());
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("quiver.kind", job.kind().name().toLowerCase(java.util.Locale.ROOT));
        labels.put("quiver.repo", job.repo().id());
        m.put("labels", labels);
        Map<String, Object> quiver = new LinkedHashMap<>();
        quiver.put("kind", job.kind().name().toLowerCase(java.util.Locale.ROOT));
        quiver.put("repo", job.repo().id());
        quiver.put("status", job.status().wire());
        quiver.put("message", job.message());
        quiver.put("runner", job.runnerId().orElse(null));
        quiver.put("cancelAsked", job.cancelAsked());
        quiver.put("resultCommit", job.resultCommit().orElse(null));
        quiver.put("spec", job.spec());
        m.put("quiver", quiver);
        return m;
    }
}
