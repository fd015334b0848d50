package dev.quiver.runner.verify;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import dev.quiver.runner.TrainerException;
import dev.quiver.runner.data.ExampleEncoder;
import dev.quiver.runner.data.RowFormat;
import dev.quiver.runner.data.TrainingData;
import dev.quiver.runner.lora.LoraAdapter;
import dev.quiver.runner.lora.PeftAdapterFiles;
import dev.quiver.runner.model.CausalLm;
import dev.quiver.runner.model.Linear;
import dev.quiver.runner.model.ModelLoader;
import dev.quiver.runner.train.Evaluator;
import dev.quiver.schema.peft.AdapterConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Verifies an adapter against a base model. Static checks ({@link StaticChecks}) read only
 * adapter_config.json and the safetensors header; dynamic checks load both, then test finite
 * values, merged-vs-unmerged logits, eval loss with and without the adapter, and a short greedy sample.
 */
public final class Verifier {
    private static final float MERGE_TOLERANCE = 1e-4f;

    private Verifier() {}

    /**
     * Runs every check. Problems with the adapter are failed checks in the report; problems with the base
     * model or the eval data (which are not what is being verified) are {@link TrainerException}s.
     */
    public static VerificationReport verify(Path base, Path adapterDir, Optional<Path> data, RowFormat format,
            Optional<String> template, int maxLength) {
        List<Check> checks = new ArrayList<>();
        Map<String, Double> figures = new LinkedHashMap<>();
        Map<String, String> identity = identity(adapterDir);
        try (CausalLm model = ModelLoader.load(base)) {
            model.config().requireFits(maxLength);
            if (!StaticChecks.run(adapterDir, model, checks)) {
                return new VerificationReport(adapterDir.toString(), identity, checks, figures);
            }
            LoraAdapter adapter;
            try {
                adapter = PeftAdapterFiles.load(adapterDir, model);
            } catch (TrainerException e) {
                checks.add(Check.fail("weights-load", e.getMessage()));
                return new VerificationReport(adapterDir.toString(), identity, checks, figures);
            }
            dynamicChecks(base, model, adapter, data, format, template, maxLength, checks, figures);
        }
        return new VerificationReport(adapterDir.toString(), identity, checks, figures);
    }

    /** The base model the adapter names; empty values when its config cannot be read (a failed check says why). */
    private static Map<String, String> identity(Path adapterDir) {
        Map<String, String> id = new LinkedHashMap<>();
        Optional<AdapterConfig> config;
        try {
            config = Optional.of(PeftAdapterFiles.readConfig(adapterDir));
        } catch (TrainerException e) {
            config = Optional.empty();
        }
        id.put("base_model_name_or_path", config.map(AdapterConfig::baseModelNameOrPath).orElse(""));
        id.put("revision", config.flatMap(AdapterConfig::revision).orElse(""));
        return id;
    }

    private static void dynamicChecks(Path base, CausalLm model, LoraAdapter adapter, Optional<Path> data, RowFormat format,
            Optional<String> template, int maxLength, List<Check> checks, Map<String, Double> figures) {
        List<String> bad = adapter.stateDict().entrySet().stream()
                .filter(e -> { try (NDScope s = new NDScope()) { return e.getValue().isNaN().logicalOr(e.getValue().isInfinite()).any().getBoolean(); } })
                .map(Map.Entry::getKey).toList();
        checks.add(bad.isEmpty() ? Check.pass("finite-values", "no NaN or Inf") : Check.fail("finite-values", "non-finite values in " + bad));
        if (!bad.isEmpty()) {
            return;
        }
        long[] probe = {1, 17, 42, 5, 63, 8, 30, 2};
        float[] unmerged = logits(model, probe);
        adapter.merge();
        float[] merged = logits(model, probe);
        adapter.unmerge();
        float diff = 0;
        for (int i = 0; i < merged.length; i++) {
            diff = Math.max(diff, Math.abs(merged[i] - unmerged[i]));
        }
        figures.put("merge_max_abs_diff", (double) diff);
        checks.add(diff <= MERGE_TOLERANCE ? Check.pass("merged-matches-unmerged", "max |diff| " + diff)
                : Check.fail("merged-matches-unmerged", "max |diff| " + diff + " > " + MERGE_TOLERANCE));
        try (ExampleEncoder encoder = new ExampleEncoder(base, model.config().eosTokenId(), model.config().vocabSize(),
                maxLength)) {
            if (data.isPresent()) {
                TrainingData eval = TrainingData.load(new TrainingData.Source(List.of(data.get()), List.of(), format, template, 0, 0), encoder);
                double with = Evaluator.loss(model, eval.train(), 8);
                model.linears().values().forEach(Linear::detach);
                double without = Evaluator.loss(model, eval.train(), 8);
                adapter.layers().forEach(l -> model.linears().get(l.modulePath()).attach(l));
                figures.put("eval_loss_base", without);
                figures.put("eval_loss_adapter", with);
                checks.add(with < without ? Check.pass("eval-loss-improves", String.format("%.4f -> %.4f", without, with))
                        : Check.fail("eval-loss-improves", String.format("%.4f with the adapter, %.4f without", with, without)));
            }
            String sample = GreedySampler.sample(model, encoder, "Question: How do I reset my password?\nAnswer:", 24);
            checks.add(Check.pass("greedy-sample", sample));
        }
    }

    private static float[] logits(CausalLm model, long[] ids) {
        long vocab = model.config().vocabSize();
        long[] clipped = java.util.Arrays.stream(ids).map(i -> i % vocab).toArray();
        try (NDScope scope = new NDScope()) {
            NDArray in = model.manager().create(clipped, new Shape(1, clipped.length));
            return model.logits(in, false).toFloatArray();
        }
    }
}
