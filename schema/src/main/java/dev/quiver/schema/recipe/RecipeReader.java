package dev.quiver.schema.recipe;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Builds a {@link Recipe} from a YAML tree that passed the schema and the rules, filling in defaults. */
final class RecipeReader {

    private RecipeReader() {
    }

    static Recipe read(JsonNode root) {
        return new Recipe(baseModel(root.path("base_model")), dataset(root.path("dataset")), lora(root.path("lora")),
                training(root.path("training")), gate(root.path("gate")), output(root.path("output")));
    }

    private static BaseModelRef baseModel(JsonNode node) {
        return new BaseModelRef(node.path("repo").asText(), optionalText(node, "revision"));
    }

    private static DatasetRef dataset(JsonNode node) {
        RowFormat format = RowFormat.fromYaml(node.path("format").asText(RowFormat.TEXT.yamlName())).orElseThrow();
        List<String> files = node.has("files") ? texts(node.path("files")) : DatasetRef.DEFAULT_FILES;
        return new DatasetRef(node.path("repo").asText(), node.path("branch").asText("main"), files, format,
                optionalText(node, "template"), eval(node.path("eval")));
    }

    private static EvalSplit eval(JsonNode node) {
        EvalSplit defaults = EvalSplit.defaults();
        List<String> files = texts(node.path("files"));
        // Named eval files replace the held-out fraction unless a fraction is written too.
        double defaultFraction = files.isEmpty() ? defaults.fraction() : 0;
        return new EvalSplit(node.path("fraction").asDouble(defaultFraction), node.path("seed").asLong(defaults.seed()),
                files);
    }

    private static LoraSettings lora(JsonNode node) {
        LoraSettings d = LoraSettings.defaults();
        List<String> targets = node.has("target_modules") ? texts(node.path("target_modules")) : d.targetModules();
        return new LoraSettings(node.path("r").asInt(d.r()), node.path("alpha").asDouble(d.alpha()),
                node.path("dropout").asDouble(d.dropout()), targets, node.path("use_rslora").asBoolean(d.useRslora()));
    }

    private static TrainingSettings training(JsonNode node) {
        TrainingSettings d = TrainingSettings.defaults();
        Optional<Integer> maxSteps = node.has("max_steps") ? Optional.of(node.path("max_steps").asInt()) : d.maxSteps();
        return new TrainingSettings(node.path("epochs").asInt(d.epochs()), maxSteps,
                node.path("learning_rate").asDouble(d.learningRate()), node.path("batch_size").asInt(d.batchSize()),
                node.path("gradient_accumulation").asInt(d.gradientAccumulation()),
                node.path("max_length").asInt(d.maxLength()), node.path("weight_decay").asDouble(d.weightDecay()),
                node.path("warmup_ratio").asDouble(d.warmupRatio()), node.path("schedule").asText(d.schedule()),
                node.path("seed").asLong(d.seed()));
    }

    private static Gate gate(JsonNode node) {
        Gate d = Gate.defaults();
        List<String> checks = node.has("required_checks") ? texts(node.path("required_checks")) : d.requiredChecks();
        return new Gate(checks, node.path("min_eval_loss_improvement").asDouble(d.minEvalLossImprovement()),
                node.path("must_beat_current").asBoolean(d.mustBeatCurrent()));
    }

    private static Output output(JsonNode node) {
        Output d = Output.defaults();
        return new Output(node.path("branch").asText(d.branch()), optionalText(node, "candidate_branch"),
                node.path("pull_request").asBoolean(d.pullRequest()));
    }

    private static Optional<String> optionalText(JsonNode node, String field) {
        return node.path(field).isTextual() ? Optional.of(node.path(field).asText()) : Optional.empty();
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(item -> texts.add(item.asText()));
        return texts;
    }
}
