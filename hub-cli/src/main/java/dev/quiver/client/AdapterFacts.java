package dev.quiver.client;

import java.util.List;
import java.util.Optional;

/**
 * A PEFT adapter in brief: its type, the base model it was trained on (and the pinned revision),
 * rank, alpha, target modules, trainable parameters, and — when the base model could be read — the
 * base's parameter count. {@code source} says where the facts came from: {@code "hub"} (Quiver's
 * {@code quiver.adapter} summary) or {@code "files"} (read from the repo's files, any HF hub).
 */
public record AdapterFacts(String peftType, String baseModel, Optional<String> baseRevision, int r, double alpha,
        List<String> targetModules, long parameters, Optional<Long> baseParameters, String source) {
    public AdapterFacts {
        targetModules = List.copyOf(targetModules);
    }

    /** Trainable parameters as a share of the base model's, when both are known. */
    public Optional<Double> shareOfBase() {
        return baseParameters.filter(b -> b > 0).map(b -> (double) parameters / b);
    }

    AdapterFacts withBaseParameters(Optional<Long> base) {
        return new AdapterFacts(peftType, baseModel, baseRevision, r, alpha, targetModules, parameters, base, source);
    }
}
