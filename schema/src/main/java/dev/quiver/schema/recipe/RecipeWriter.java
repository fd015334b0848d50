package dev.quiver.schema.recipe;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.quiver.schema.json.Yaml;
import java.util.LinkedHashMap;
import java.util.Map;

/** Writes a {@link Recipe} as {@code quiver.yaml} with every setting spelled out, in the documented order. */
final class RecipeWriter {

    private RecipeWriter() {
    }

    static String write(Recipe recipe) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("base_model", baseModel(recipe.baseModel()));
        root.put("dataset", dataset(recipe.dataset()));
        root.put("lora", lora(recipe.lora()));
        root.put("training", training(recipe.training()));
        root.put("gate", gate(recipe.gate()));
        root.put("output", output(recipe.output()));
        try {
            return Yaml.mapper().writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a recipe cannot be written as YAML", e);
        }
    }

    private static Map<String, Object> baseModel(BaseModelRef base) {
        Map<String, Object> node = new LinkedHashMap<>();
        node.put("repo", base.repo());
        base.revision().ifPresent(revision -> node.put("revision", revision));
        return node;
    }

    private static Map<String, Object> dataset(DatasetRef dataset) {
        Map<String, Object> node = new LinkedHashMap<>();
        node.put("repo", dataset.repo());
        node.put("branch", dataset.branch());
        node.put("files", dataset.files());
        node.put("format", dataset.format().yamlName());
        dataset.template().ifPresent(template -> node.put("template", template));
        Map<String, Object> eval = new LinkedHashMap<>();
        eval.put("fraction", dataset.eval().fraction());
        eval.put("seed", dataset.eval().seed());
        eval.put("files", dataset.eval().files());
        node.put("eval", eval);
        return node;
    }

    private static Map<String, Object> lora(LoraSettings lora) {
        Map<String, Object> node = new LinkedHashMap<>();
        node.put("r", lora.r());
        node.put("alpha", lora.alpha());
        node.put("dropout", lora.dropout());
        node.put("target_modules", lora.targetModules());
        node.put("use_rslora", lora.useRslora());
        return node;
    }

    private static Map<String, Object> training(TrainingSettings training) {
        Map<String, Object> node = new LinkedHashMap<>();
        node.put("epochs", training.epochs());
        training.maxSteps().ifPresent(steps -> node.put("max_steps", steps));
        node.put("learning_rate", training.learningRate());
        node.put("batch_size", training.batchSize());
        node.put("gradient_accumulation", training.gradientAccumulation());
        node.put("max_length", training.maxLength());
        node.put("weight_decay", training.weightDecay());
        node.put("warmup_ratio", training.warmupRatio());
        node.put("schedule", training.schedule());
        node.put("seed", training.seed());
        return node;
    }

    private static Map<String, Object> gate(Gate gate) {
        Map<String, Object> node = new LinkedHashMap<>();
        node.put("required_checks", gate.requiredChecks());
        node.put("min_eval_loss_improvement", gate.minEvalLossImprovement());
        node.put("must_beat_current", gate.mustBeatCurrent());
        return node;
    }

    private static Map<String, Object> output(Output output) {
        Map<String, Object> node = new LinkedHashMap<>();
        node.put("branch", output.branch());
        output.candidateBranch().ifPresent(branch -> node.put("candidate_branch", branch));
        node.put("pull_request", output.pullRequest());
        return node;
    }
}
