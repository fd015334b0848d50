package dev.quiver.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** One commit of a history ({@code GET /api/{type}s/{id}/commits/{rev}}). */
public record CommitEntry(String id, String title, String message, String date, List<String> authors) {
    public CommitEntry {
        authors = List.copyOf(authors);
    }

    static CommitEntry from(JsonNode n) {
        List<String> authors = new ArrayList<>();
        n.path("authors").forEach(a -> authors.add(a.path("user").asText("")));
        return new CommitEntry(n.path("id").asText(""), n.path("title").asText(""), n.path("message").asText(""),
                n.path("date").asText(""), authors);
    }
}
