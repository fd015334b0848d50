package dev.quiver.runner.verify;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import dev.quiver.runner.TrainerException;
import dev.quiver.runner.data.ExampleEncoder;
import dev.quiver.runner.data.RowFormat;
import dev.quiver.runner.data.TrainingData;
import dev.quiver.runner.lora.LoraAdapter;
import dev.quiver.runner.lora.LoraSpec;
import dev.quiver.runner.lora.PeftAdapterFiles;
import dev.quiver.runner.model.CausalLm;
import dev.quiver.runner.model.Linear;
import dev.quiver.runner.model.ModelLoader;
import dev.quiver.runner.model.SafetensorsArrays;
import dev.quiver.runner.train.Evaluator;
import dev.quiver.schema.peft.AdapterConfig;
import dev.quiver.schema.safetensors.Dtype;
import dev.quiver.schema.safetensors.SafetensorsHeader;
import dev.quiver.schema.safetensors.TensorInfo;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Verifies an adapter against a base model. Static checks read only adapter_config.json and the
 * safetensors header; dynamic checks load both, then test finite values, merged-vs-unmerged
 * logits, eval loss with and without the adapter, and a short greedy sample.
 */
public final class Verifier {
    private static final Set<Dtype> ALLOWED = Set.of(Dtype.F32, Dtype.F16, Dtype.BF16);
    private static final float MERGE_TOLERANCE = 1e-4f;

    private Verifier() {}

    public static VerificationReport verify(Path base, Path adapterDir, Optional<Path> data, RowFormat format,
            Optional<String> template, int maxLength) throws IOException {
        List<Check> checks = new ArrayList<>();
        Map<String, Double> figures = new LinkedHashMap<>();
        Map<String, String> identity = identity(adapterDir);
        try (CausalLm model = ModelLoader.load(base)) {
            if (!staticChecks(adapterDir, model, checks)) {
                return new VerificationReport(adapterDir.toString(), identity, checks, figures);
            }
            LoraAdapter adapter = PeftAdapterFiles.load(adapterDir, model);
            dynamicChecks(base, model, adapter, data, format, template, maxLength, checks, figures);
        }
        return new VerificationReport(adapterDir.toString(), identity, checks, figures);
    }

    private static Map<String, String> identity(Path adapterDir) {
        AdapterConfig c = PeftAdapterFiles.readConfig(adapterDir);
        Map<String, String> id = new LinkedHashMap<>();
        id.put("base_model_name_or_path", c.baseModelNameOrPath());
        id.put("revision", c.revision().orElse(""));
        return id;
    }

    private static boolean staticChecks(Path adapterDir, CausalLm model, List<Check> checks) {
        LoraSpec spec;
        SafetensorsHeader header;
        try {
            spec = PeftAdapterFiles.readSpec(adapterDir, model.config().architecture());
            header = SafetensorsArrays.header(adapterDir.resolve(PeftAdapterFiles.WEIGHTS));
        } catch (TrainerException e) {
            checks.add(Check.fail("files-readable", e.getMessage()));
            return false;
        }
        checks.add(Check.pass("files-readable", header.tensors().size() + " tensors, r=" + spec.r()));
        List<String> mapping = new ArrayList<>();
        List<String> rank = new ArrayList<>();
        List<String> dtypes = new ArrayList<>();
        for (TensorInfo t : header.tensors()) {
            if (!ALLOWED.contains(t.dtype())) {
                dtypes.add(t.name() + " is " + t.dtype());
            }
            PeftAdapterFiles.ModuleKey key;
            try {
                key = PeftAdapterFiles.ModuleKey.parse(t.name());
            } catch (TrainerException e) {
                mapping.add(e.getMessage());
                continue;
            }
            Linear l = model.linears().get(key.modulePath());
            if (l == null) {
                mapping.add(key.modulePath() + " is not a module of this " + model.config().architecture() + " base");
                continue;
            }
            List<Long> shape = t.shape();
            long r = shape.size() == 2 ? (key.isA() ? shape.get(0) : shape.get(1)) : -1;
            List<Long> want = key.isA() ? List.of(r, l.inFeatures()) : List.of(l.outFeatures(), r);
            if (!shape.equals(want)) {
                mapping.add(t.name() + " has shape " + shape + ", the base module needs " + want);
            }
            if (r != spec.r()) {
                rank.add(t.name() + " has rank " + r + ", the config says " + spec.r());
            }
        }
        checks.add(mapping.isEmpty() ? Check.pass("tensors-map-to-base", "every tensor targets a base module with matching shapes")
                : Check.fail("tensors-map-to-base", String.join("; ", mapping)));
        checks.add(rank.isEmpty() ? Check.pass("rank-matches-config", "r=" + spec.r()) : Check.fail("rank-matches-config", String.join("; ", rank)));
        checks.add(dtypes.isEmpty() ? Check.pass("dtypes-allowed", "F32/F16/BF16 only") : Check.fail("dtypes-allowed", String.join("; ", dtypes)));
        return mapping.isEmpty() && rank.isEmpty() && dtypes.isEmpty();
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
        try (ExampleEncoder encoder = new ExampleEncoder(base, model.config().eosTokenId(), maxLength)) {
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
