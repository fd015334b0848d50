package dev.quiver.schema.peft;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** The checks every {@link AdapterConfig} passes, whether parsed or built; each failure is one message. */
final class AdapterConfigRules {

    static final String ALL_LINEAR = "all-linear";
    static final Set<String> BIAS_MODES = Set.of("none", "all", "lora_only");

    private AdapterConfigRules() {
    }

    /** Every rule the given settings break, in PEFT's key order; empty when they are fine. */
    static List<String> problems(String peftType, Optional<String> revision, int r, double loraAlpha,
            double loraDropout, List<String> targetModules, Optional<String> targetModulesRegex, String bias,
            List<String> modulesToSave, Map<String, Integer> rankPattern, Map<String, Double> alphaPattern,
            Set<String> otherKeys) {
        List<String> problems = new ArrayList<>();
        if (!peftType.equals("LORA")) {
            problems.add("peft_type must be LORA (Quiver serves LoRA adapters), not '" + peftType + "'");
        }
        if (revision.isPresent() && revision.get().isBlank()) {
            problems.add("revision must not be blank");
        }
        if (r <= 0) {
            problems.add("r must be greater than 0, not " + r);
        }
        if (!Double.isFinite(loraAlpha) || loraAlpha <= 0) {
            problems.add("lora_alpha must be a number greater than 0, not " + loraAlpha);
        }
        if (!(loraDropout >= 0 && loraDropout <= 1)) {
            problems.add("lora_dropout must be between 0 and 1, not " + loraDropout);
        }
        targetModuleProblems(targetModules, targetModulesRegex, problems);
        if (!BIAS_MODES.contains(bias)) {
            problems.add("bias must be one of none, all, lora_only, not '" + bias + "'");
        }
        if (modulesToSave.stream().anyMatch(String::isBlank)) {
            problems.add("modules_to_save must not hold blank names");
        }
        rankPattern.forEach((key, rank) -> {
            if (rank <= 0) {
                problems.add("rank_pattern." + key + " must be greater than 0, not " + rank);
            }
        });
        alphaPattern.forEach((key, alpha) -> {
            if (!Double.isFinite(alpha) || alpha <= 0) {
                problems.add("alpha_pattern." + key + " must be a number greater than 0, not " + alpha);
            }
        });
        for (String key : otherKeys) {
            if (AdapterConfigJson.KNOWN_KEYS.contains(key)) {
                problems.add(key + " is a named setting and cannot also be among the other settings");
            }
        }
        return problems;
    }

    private static void targetModuleProblems(List<String> modules, Optional<String> regex, List<String> problems) {
        if (!modules.isEmpty() && regex.isPresent()) {
            problems.add("target_modules is either a list of names or one regular expression, not both");
        }
        if (modules.stream().anyMatch(String::isBlank)) {
            problems.add("target_modules must not hold blank names");
        }
        if (modules.size() != Set.copyOf(modules).size()) {
            problems.add("target_modules names a module twice");
        }
        regex.filter(expression -> !expression.equals(ALL_LINEAR)).ifPresent(expression -> {
            try {
                Pattern.compile(expression);
            } catch (PatternSyntaxException e) {
                problems.add("target_modules is not a regular expression Quiver can match: " + e.getDescription());
            }
        });
    }
}
