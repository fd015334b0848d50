package dev.quiver.client;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A repository at a revision ({@code GET /api/{type}s/{id}/revision/{rev}}): the fields a person
 * looks at, plus the raw card data for whoever needs the rest.
 */
public record RepoDetails(String id, Optional<String> sha, @JsonProperty("private") boolean isPrivate, String gated,
        Optional<String> lastModified, Optional<String> libraryName, Optional<String> pipelineTag, List<String> tags,
        List<String> siblings, @JsonIgnore JsonNode raw) {
    public RepoDetails {
        tags = List.copyOf(tags);
        siblings = List.copyOf(siblings);
    }

    static RepoDetails from(JsonNode n) {
        List<String> tags = new ArrayList<>();
        n.path("tags").forEach(t -> tags.add(t.asText()));
        List<String> siblings = new ArrayList<>();
        n.path("siblings").forEach(s -> siblings.add(s.path("rfilename").asText()));
        JsonNode gated = n.path("gated");
        return new RepoDetails(n.path("id").asText(""), RepoSummary.text(n, "sha"), n.path("private").asBoolean(false),
                gated.isTextual() ? gated.asText() : "false", RepoSummary.text(n, "lastModified"),
                RepoSummary.text(n, "library_name"), RepoSummary.text(n, "pipeline_tag"), tags, siblings, n);
    }

    /** The card's front matter as the hub parsed it ({@code cardData}); empty object when there is none. */
    public JsonNode cardData() {
        return raw.path("cardData").isObject() ? raw.path("cardData") : dev.quiver.schema.json.Json.mapper().createObjectNode();
    }

    /** {@code safetensors.total}: the parameter count the hub computed from the weights, when it did. */
    public Optional<Long> safetensorsTotal() {
        JsonNode total = raw.path("safetensors").path("total");
        return total.isIntegralNumber() ? Optional.of(total.asLong()) : Optional.empty();
    }
}
