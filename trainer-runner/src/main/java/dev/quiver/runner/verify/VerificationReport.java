package dev.quiver.runner.verify;

import java.util.List;
import java.util.Map;

/**
 * The result of verifying one adapter against one base model, shaped to be posted to the hub as
 * is: what was checked (adapter and base identity as recorded), every check, and the verdict.
 */
public record VerificationReport(String adapter, Map<String, String> baseModel, List<Check> checks, Map<String, Double> figures) {
    public VerificationReport {
        checks = List.copyOf(checks);
        baseModel = Map.copyOf(baseModel);
        figures = Map.copyOf(figures);
    }

    public boolean passed() {
        return !checks.isEmpty() && checks.stream().allMatch(c -> c.status() == Check.Status.PASS);
    }
}
