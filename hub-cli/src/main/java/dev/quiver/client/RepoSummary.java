package dev.quiver.client;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** One item of a repository listing or search ({@code GET /api/models}, {@code /api/datasets}). */
public record RepoSummary(String id, @JsonProperty("private") boolean isPrivate, long downloads, long likes,
        String gated, Optional<String> lastModified, Optional<String> pipelineTag, List<String> tags) {
    public RepoSummary {
        tags = List.copyOf(tags);
    }

    static RepoSummary from(JsonNode n) {
        List<String> tags = new ArrayList<>();
        n.path("tags").forEach(t -> tags.add(t.asText()));
        JsonNode gated = n.path("gated");
        return new RepoSummary(n.path("id").asText(n.path("modelId").asText("")), n.path("private").asBoolean(false),
                n.path("downloads").asLong(0), n.path("likes").asLong(0),
                gated.isTextual() ? gated.asText() : "false", text(n, "lastModified"), text(n, "pipeline_tag"), tags);
    }

    static Optional<String> text(JsonNode n, String field) {
        JsonNode v = n.path(field);
        return v.isTextual() && !v.asText().isEmpty() ? Optional.of(v.asText()) : Optional.empty();
    }
}
