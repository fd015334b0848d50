package dev.quiver.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quiver.schema.peft.AdapterConfig;
import dev.quiver.schema.peft.AdapterConfigException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Works out what an adapter repository holds. On a Quiver hub the repo info carries a ready summary
 * ({@code quiver.adapter}); on any other hub the same facts are read from {@code adapter_config.json}
 * and the safetensors header of the weights. The base model's size comes from its repo info
 * ({@code safetensors.total}) or, failing that, from its weights' header.
 */
public final class AdapterInspector {
    private static final int MAX_CONFIG = 1 << 20;

    private final HubClient client;
    private final RemoteFiles files;

    public AdapterInspector(HubClient client) {
        this.client = client;
        this.files = new RemoteFiles(client.http());
    }

    /** The adapter at {@code commit}, or empty when the repo is not a PEFT adapter. */
    public Optional<AdapterFacts> inspect(RepoRef repo, String commit, RepoDetails details) {
        JsonNode summary = details.raw().path("quiver").path("adapter");
        Optional<AdapterFacts> facts;
        if (summary.isObject()) {
            List<String> targets = new ArrayList<>();
            summary.path("targetModules").forEach(t -> targets.add(t.asText()));
            facts = Optional.of(new AdapterFacts(summary.path("peftType").asText(""), summary.path("baseModel").asText(""),
                    RepoSummary.text(summary, "baseRevision"), summary.path("r").asInt(), summary.path("alpha").asDouble(),
                    targets, summary.path("parameters").asLong(), Optional.empty(), "hub"));
        } else if (details.siblings().contains("adapter_config.json")) {
            facts = Optional.of(fromFiles(repo, commit, details));
        } else {
            facts = Optional.empty();
        }
        return facts.map(f -> f.withBaseParameters(baseParameters(f)));
    }

    private AdapterFacts fromFiles(RepoRef repo, String commit, RepoDetails details) {
        String json = new String(files.read(repo, commit, "adapter_config.json", MAX_CONFIG), StandardCharsets.UTF_8);
        AdapterConfig config;
        try {
            config = AdapterConfig.parse(json);
        } catch (AdapterConfigException e) {
            throw new HubException(HubException.Problem.OTHER, "adapter_config.json of " + repo + " is invalid: "
                    + String.join("; ", e.errors()));
        }
        long parameters = details.siblings().contains("adapter_model.safetensors")
                ? files.safetensorsHeader(repo, commit, "adapter_model.safetensors").totalParameters() : 0;
        List<String> targets = config.targetModulesRegex().map(List::of).orElse(config.targetModules());
        String base = details.cardData().path("base_model").isTextual()
                ? details.cardData().path("base_model").asText() : config.baseModelNameOrPath();
        Optional<String> baseRevision = RepoSummary.text(details.cardData(), "base_model_revision").or(config::revision);
        return new AdapterFacts(config.peftType(), base, baseRevision, config.r(), config.loraAlpha(), targets,
                parameters, Optional.empty(), "files");
    }

    /** The base model's parameter count, if it is a repo on this hub that says or shows it. */
    private Optional<Long> baseParameters(AdapterFacts facts) {
        RepoRef base;
        try {
            base = RepoRef.model(facts.baseModel());
        } catch (IllegalArgumentException e) {
            return Optional.empty(); // a local path or something else that is not a repo id
        }
        String revision = facts.baseRevision().orElse("main");
        try {
            RepoDetails info = client.repoInfo(base, revision);
            if (info.safetensorsTotal().isPresent()) {
                return info.safetensorsTotal();
            }
            if (info.siblings().contains("model.safetensors")) {
                return Optional.of(files.safetensorsHeader(base, revision, "model.safetensors").totalParameters());
            }
            return Optional.empty();
        } catch (HubException e) {
            return Optional.empty();
        }
    }
}
