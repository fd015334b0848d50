package dev.quiver.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * A job as the hub reports it (the HF Jobs API shape): id, stage and message; on a Quiver hub also
 * what it does ({@code train}, {@code verify}), for which repository, Quiver's status
 * ({@code queued}, {@code running}, {@code succeeded}, {@code failed}, {@code cancelled}) and the
 * commit it produced.
 */
public record JobInfo(String id, String kind, String repo, String status, String message, String createdAt,
        Optional<String> finishedAt, Optional<String> resultCommit) {

    static JobInfo from(JsonNode n) {
        JsonNode q = n.path("quiver");
        String stage = n.path("status").path("stage").asText("").toLowerCase(java.util.Locale.ROOT);
        return new JobInfo(n.path("id").asText(""), q.path("kind").asText(n.path("type").asText("job")),
                q.path("repo").asText(""), q.path("status").asText(stage),
                q.path("message").asText(n.path("status").path("message").asText("")),
                n.path("createdAt").asText(""), RepoSummary.text(n, "finishedAt"), RepoSummary.text(q, "resultCommit"));
    }
}
