package dev.quiver.runner.daemon;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A job this runner holds, with everything pinned: the adapter repo and commit it starts from, the
 * recipe text, and the dataset and base model at exact commits (empty strings where the job kind
 * has none, e.g. a verify job has no dataset).
 */
public record ClaimedJob(String id, String kind, String adapterRepo, String adapterCommit, String recipe,
        String datasetRepo, String datasetCommit, String baseRepo, String baseCommit, String trigger, int attempt) {

    static ClaimedJob of(JsonNode reply) {
        JsonNode spec = reply.path("spec");
        return new ClaimedJob(reply.path("id").asText(), reply.path("kind").asText(), spec.path("adapterRepo").asText(),
                spec.path("adapterCommit").asText(), spec.path("recipe").asText(), spec.path("datasetRepo").asText(),
                spec.path("datasetCommit").asText(), spec.path("baseRepo").asText(), spec.path("baseCommit").asText(),
                spec.path("trigger").asText(), reply.path("attempt").asInt(1));
    }

    public boolean isTrain() {
        return kind.equals("train");
    }
}
