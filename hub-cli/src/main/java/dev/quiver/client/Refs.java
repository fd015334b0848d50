package dev.quiver.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** The branches, tags and pull-request refs of a repository ({@code GET /api/{type}s/{id}/refs}). */
public record Refs(List<Ref> branches, List<Ref> tags, List<Ref> pullRequests) {
    public Refs {
        branches = List.copyOf(branches);
        tags = List.copyOf(tags);
        pullRequests = List.copyOf(pullRequests);
    }

    /** One ref: short name, full ref name, and the commit it points at. */
    public record Ref(String name, String ref, String targetCommit) {
    }

    static Refs from(JsonNode n) {
        return new Refs(list(n.path("branches")), list(n.path("tags")), list(n.path("pullRequests")));
    }

    private static List<Ref> list(JsonNode array) {
        List<Ref> refs = new ArrayList<>();
        array.forEach(r -> refs.add(new Ref(r.path("name").asText(""), r.path("ref").asText(""),
                r.path("targetCommit").asText(""))));
        return refs;
    }
}
