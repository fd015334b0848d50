package dev.quiver.server.card;

import java.util.List;
import java.util.Optional;

/**
 * What a PEFT adapter is, in brief: from {@code adapter_config.json} (type, base model and its
 * pinned revision, rank, alpha, target modules) and the header of {@code adapter_model.safetensors}
 * (its parameter count, 0 when that file is missing or unreadable).
 *
 * @param targetModules the module names; a regex {@code target_modules} is kept as its one element
 */
public record AdapterSummary(String peftType, String baseModel, Optional<String> baseRevision, int r, double alpha,
        List<String> targetModules, long parameters) {
    public AdapterSummary {
        targetModules = List.copyOf(targetModules);
        if (parameters < 0) {
            throw new IllegalArgumentException("parameters cannot be negative: " + parameters);
        }
    }
}
