package dev.quiver.schema.recipe;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The rules a JSON Schema cannot say well: ones that span settings, and names with rules of
 * their own. Each reads the YAML tree defensively, so it runs beside the schema check and a
 * push learns every problem in one answer; a setting of the wrong type is the schema's to
 * report and is skipped here.
 */
final class RecipeRules {

    private static final Pattern REPO_PART = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?");
    private static final Pattern FULL_SHA = Pattern.compile("[0-9a-f]{40}");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{[A-Za-z_][A-Za-z0-9_]*}");
    private static final int MAX_REPO_ID = 96;

    private RecipeRules() {
    }

    static List<String> errors(JsonNode root) {
        List<String> errors = new ArrayList<>();
        if (!root.isObject()) {
            return errors;
        }
        text(root, "base_model", "repo").ifPresent(repo -> repoId("base_model.repo", repo, errors));
        text(root, "base_model", "revision").filter(rev -> !FULL_SHA.matcher(rev).matches()).ifPresent(rev -> errors.add(
                "base_model.revision: must be a full commit id (40 lower-case hex digits), not '" + rev + "'"));
        text(root, "dataset", "repo").ifPresent(repo -> repoId("dataset.repo", repo, errors));
        text(root, "dataset", "branch").ifPresent(branch -> branchName("dataset.branch", branch, errors));
        filePatterns(root.path("dataset").path("files"), "dataset.files", errors);
        filePatterns(root.path("dataset").path("eval").path("files"), "dataset.eval.files", errors);
        templateRules(root.path("dataset"), errors);
        evalRules(root, errors);
        outputRules(root.path("output"), errors);
        gateRules(root.path("gate"), errors);
        return errors;
    }

    private static void repoId(String path, String id, List<String> errors) {
        String[] parts = id.split("/", -1);
        boolean shaped = parts.length == 2 && REPO_PART.matcher(parts[0]).matches() && REPO_PART.matcher(parts[1]).matches();
        if (!shaped || id.contains("--") || id.contains("..") || id.endsWith(".git") || id.length() > MAX_REPO_ID) {
            errors.add(path + ": must be a repository id like owner/name (letters, digits, '-', '_', '.'; "
                    + "no '--' or '..'; at most " + MAX_REPO_ID + " characters), not '" + id + "'");
        }
    }

    private static void branchName(String path, String name, List<String> errors) {
        BranchNames.problem(name).ifPresent(problem -> errors.add(path + ": '" + name + "' is not a branch name: " + problem));
    }

    private static void filePatterns(JsonNode patterns, String path, List<String> errors) {
        for (int i = 0; i < patterns.size(); i++) {
            String pattern = patterns.path(i).asText("");
            boolean escapes = pattern.startsWith("/") || pattern.contains("\\")
                    || List.of(pattern.split("/")).contains("..");
            if (escapes) {
                errors.add(path + "[" + i + "]: must be a pattern relative to the dataset repository's root "
                        + "using '/', without '..', not '" + pattern + "'");
            }
        }
    }

    private static void templateRules(JsonNode dataset, List<String> errors) {
        boolean templateFormat = dataset.path("format").asText("").equals(RowFormat.TEMPLATE.yamlName());
        JsonNode template = dataset.path("template");
        if (templateFormat && template.isMissingNode()) {
            errors.add("dataset.template: is required when dataset.format is template");
        } else if (templateFormat && template.isTextual() && !PLACEHOLDER.matcher(template.asText()).find()) {
            errors.add("dataset.template: must contain at least one {field} placeholder filled from each row");
        } else if (!templateFormat && !template.isMissingNode()) {
            errors.add("dataset.template: is only used with format: template, but dataset.format is "
                    + dataset.path("format").asText(RowFormat.TEXT.yamlName()));
        }
    }

    private static void evalRules(JsonNode root, List<String> errors) {
        JsonNode eval = root.path("dataset").path("eval");
        boolean hasFiles = eval.path("files").size() > 0;
        JsonNode fraction = eval.path("fraction");
        if (hasFiles && fraction.isNumber() && fraction.doubleValue() > 0) {
            errors.add("dataset.eval: give either a fraction to hold out or eval files, not both");
        }
        boolean noEvalRows = !hasFiles && fraction.isNumber() && fraction.doubleValue() == 0;
        if (noEvalRows && requiredChecks(root.path("gate")).contains("dynamic")) {
            errors.add("dataset.eval: dynamic verification needs eval rows: set a fraction above 0 or name eval files");
        }
    }

    private static void outputRules(JsonNode output, List<String> errors) {
        String branch = output.path("branch").asText(Output.defaults().branch());
        text(output, "branch").ifPresent(name -> branchName("output.branch", name, errors));
        Optional<String> candidate = text(output, "candidate_branch");
        candidate.ifPresent(name -> branchName("output.candidate_branch", name, errors));
        if (candidate.filter(branch::equals).isPresent()) {
            errors.add("output.candidate_branch: must differ from output.branch ('" + branch
                    + "'): results wait on the candidate branch until the gate passes");
        }
        if (candidate.isPresent() && output.path("pull_request").asBoolean(false)) {
            errors.add("output.pull_request: a result goes either to a candidate branch or to a pull request, not both");
        }
    }

    private static void gateRules(JsonNode gate, List<String> errors) {
        if (requiredChecks(gate).contains("dynamic")) {
            return;
        }
        if (gate.path("must_beat_current").asBoolean(false)) {
            errors.add("gate.must_beat_current: compares eval loss, which only the dynamic check measures; "
                    + "add dynamic to gate.required_checks");
        }
        if (gate.path("min_eval_loss_improvement").asDouble(0) > 0) {
            errors.add("gate.min_eval_loss_improvement: needs eval loss, which only the dynamic check measures; "
                    + "add dynamic to gate.required_checks");
        }
    }

    /** The checks the gate requires, the default ones when it names none. */
    private static List<String> requiredChecks(JsonNode gate) {
        JsonNode checks = gate.path("required_checks");
        if (!checks.isArray()) {
            return Gate.defaults().requiredChecks();
        }
        List<String> names = new ArrayList<>();
        checks.forEach(check -> names.add(check.asText()));
        return names;
    }

    private static Optional<String> text(JsonNode node, String... path) {
        JsonNode current = node;
        for (String name : path) {
            current = current.path(name);
        }
        return current.isTextual() ? Optional.of(current.asText()) : Optional.empty();
    }
}
