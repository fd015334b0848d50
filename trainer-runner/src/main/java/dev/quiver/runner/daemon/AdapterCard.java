package dev.quiver.runner.daemon;

import dev.quiver.schema.card.CardException;
import dev.quiver.schema.card.ModelCard;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The model card a runner commits with a trained adapter: metadata naming the base model and dataset
 * at exact commits and the eval figures (in {@code model-index}), as PEFT and the Hub read them. A
 * card a person wrote keeps its text and its other metadata; only these keys are updated.
 */
final class AdapterCard {
    private AdapterCard() {
    }

    /** What the card records about one training run. */
    record Provenance(String adapterRepo, String baseRepo, String baseCommit, String datasetRepo, String datasetCommit,
            String jobId, double evalLossBase, double evalLossAdapter) {
    }

    static String render(Optional<String> existing, Provenance p) {
        ModelCard card = existing.flatMap(AdapterCard::parse).orElseGet(() -> ModelCard.of(Map.of(), body(p)));
        TreeSet<String> tags = new TreeSet<>(card.strings("tags"));
        tags.addAll(List.of("lora", "peft", "quiver", "base_model:adapter:" + p.baseRepo()));
        return card.withMetadata("base_model", p.baseRepo())
                .withMetadata("base_model_revision", p.baseCommit())
                .withMetadata("base_model_relation", "adapter")
                .withMetadata("library_name", "peft")
                .withMetadata("pipeline_tag", "text-generation")
                .withMetadata("datasets", List.of(p.datasetRepo()))
                .withMetadata("dataset_revision", p.datasetCommit())
                .withMetadata("tags", new ArrayList<>(tags))
                .withMetadata("model-index", modelIndex(p))
                .render();
    }

    private static Optional<ModelCard> parse(String text) {
        try {
            return Optional.of(ModelCard.parse(text));
        } catch (CardException e) {
            return Optional.empty(); // an unreadable card is replaced rather than left broken
        }
    }

    private static List<Object> modelIndex(Provenance p) {
        Map<String, Object> dataset = new LinkedHashMap<>();
        dataset.put("type", p.datasetRepo());
        dataset.put("name", p.datasetRepo());
        dataset.put("split", "eval");
        dataset.put("revision", p.datasetCommit());
        List<Object> metrics = List.of(
                Map.of("type", "loss", "name", "eval loss (adapter)", "value", round(p.evalLossAdapter())),
                Map.of("type", "loss", "name", "eval loss (base model)", "value", round(p.evalLossBase())));
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("task", Map.of("type", "text-generation", "name", "Causal language modelling"));
        result.put("dataset", dataset);
        result.put("metrics", metrics);
        return List.of(Map.of("name", p.adapterRepo(), "results", List.of(result)));
    }

    private static double round(double v) {
        return Math.round(v * 10_000d) / 10_000d;
    }

    private static String body(Provenance p) {
        return """
                # %1$s

                A LoRA adapter for [%2$s](/%2$s) (commit `%3$s`), trained by Quiver job `%6$s` on
                [%4$s](/datasets/%4$s) at commit `%5$s`.

                Eval loss: %7$.4f with the adapter, %8$.4f for the base model alone.

                ```python
                from peft import PeftModel
                from transformers import AutoModelForCausalLM
                base = AutoModelForCausalLM.from_pretrained("%2$s", revision="%3$s")
                model = PeftModel.from_pretrained(base, "%1$s")
                ```
                """.formatted(p.adapterRepo(), p.baseRepo(), p.baseCommit(), p.datasetRepo(), p.datasetCommit(),
                p.jobId(), p.evalLossAdapter(), p.evalLossBase());
    }
}
