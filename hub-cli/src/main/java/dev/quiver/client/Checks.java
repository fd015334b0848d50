package dev.quiver.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** The verification checks recorded on one commit of an adapter, and their overall status. */
public record Checks(String commit, String status, List<Check> checks) {
    public Checks {
        checks = List.copyOf(checks);
    }

    /** One check: its name ({@code static}, {@code dynamic}, ...), status and a one-line summary. */
    public record Check(String name, String status, String summary) {
    }

    static Checks from(JsonNode n) {
        List<Check> list = new ArrayList<>();
        n.path("checks").forEach(c -> list.add(new Check(c.path("name").asText(""), c.path("status").asText(""),
                c.path("summary").asText(""))));
        return new Checks(n.path("commit").asText(""), n.path("status").asText(""), list);
    }
}
