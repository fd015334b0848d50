package dev.quiver.server.search;

import dev.quiver.schema.repo.RepoType;
import dev.quiver.server.card.AdapterSummary;
import dev.quiver.server.repo.RepoId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Generated repositories whose cards read like the Hub's: PEFT adapters of popular base models with
 * the model card PEFT writes (front matter, training details, results, framework versions), full
 * fine-tunes, and datasets, by a few thousand authors, in English and some Spanish. Deterministic
 * for a seed, so runs are comparable.
 */
final class BenchCorpus {
    static final String[] BASES = {"meta-llama/Llama-3.1-8B", "meta-llama/Llama-3.2-1B", "mistralai/Mistral-7B-v0.3",
        "Qwen/Qwen2.5-7B", "Qwen/Qwen2.5-0.5B", "google/gemma-2-2b", "microsoft/phi-2", "tiiuae/falcon-7b",
        "EleutherAI/pythia-410m", "TinyLlama/TinyLlama-1.1B", "openai-community/gpt2", "HuggingFaceTB/SmolLM2-360M",
        "bigscience/bloom-560m", "facebook/opt-1.3b", "deepseek-ai/deepseek-coder-1.3b", "01-ai/Yi-6B"};
    static final String[] TOPICS = {"customer support", "sql generation", "legal summaries", "medical notes",
        "code review", "poetry", "translation", "sentiment analysis", "invoice extraction", "chat assistant",
        "math word problems", "recipe writing", "product descriptions", "tweet classification", "email triage",
        "story telling", "question answering", "function calling", "json extraction", "news headlines"};
    static final String[] SPANISH = {"asistente técnico para soporte al cliente", "resúmenes de contratos legales",
        "generación de consultas SQL", "clasificación de reseñas de productos", "traducción de documentos técnicos",
        "respuestas a preguntas frecuentes de facturación"};
    static final String[] LICENSES = {"mit", "apache-2.0", "llama3.1", "cc-by-4.0", "cc-by-nc-4.0", "gemma", "other",
        "openrail", "gpl-3.0", "bsd-3-clause"};
    static final String[] LANGUAGES = {"en", "es", "fr", "de", "zh", "ja", "pt", "it", "ko", "ru"};
    static final String[] TASKS = {"text-generation", "text-classification", "summarization", "translation",
        "question-answering", "token-classification"};
    static final String[] MODULES = {"q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj",
        "c_attn", "c_proj", "query_key_value"};
    static final String[] WORDS = {"helpful", "fast", "tiny", "robust", "multilingual", "instruct", "chat", "domain",
        "finetuned", "compact", "aligned", "distilled", "quantized", "experimental", "production", "baseline"};
    static final int AUTHORS = 5000;
    static final int DATASETS = 2000;

    private BenchCorpus() {
    }

    static String author(int i) {
        return (i % 7 == 0 ? "org-" : "user-") + i;
    }

    static String dataset(int i) {
        return author(i % AUTHORS) + "/" + TOPICS[i % TOPICS.length].replace(' ', '-') + "-" + i;
    }

    /** The {@code n}-th repository: about 65% adapters, 25% other models, 10% datasets. */
    static RepoDocument document(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed * 1_000_003L + n);
        int kind = r.nextInt(100);
        String topic = TOPICS[r.nextInt(TOPICS.length)];
        String owner = author(r.nextInt(AUTHORS));
        String word = WORDS[r.nextInt(WORDS.length)];
        boolean spanish = r.nextInt(8) == 0;
        String license = LICENSES[r.nextInt(LICENSES.length)];
        List<String> languages = spanish ? List.of("es") : r.nextInt(5) == 0 ? List.of("en", pick(r, LANGUAGES))
                : List.of("en");
        long downloads = (long) Math.floor(Math.pow(10, r.nextDouble() * 6)) - 1;
        long likes = downloads / (5 + r.nextInt(200));
        Instant created = Instant.parse("2023-01-01T00:00:00Z").plusSeconds(r.nextLong(86_400L * 900));
        Instant modified = created.plusSeconds(r.nextLong(86_400L * 60));
        if (kind >= 90) {
            String name = topic.replace(' ', '-') + "-" + word + "-" + n;
            Map<String, Object> card = new LinkedHashMap<>();
            card.put("license", license);
            card.put("language", languages);
            card.put("task_categories", List.of(pick(r, TASKS)));
            card.put("size_categories", List.of(r.nextBoolean() ? "1K<n<10K" : "10K<n<100K"));
            String body = "# " + name + "\n\nA dataset of " + topic + " examples" + (spanish ? " (" + pick(r, SPANISH)
                    + ")" : "") + ", collected and cleaned by " + owner + ".\n\n## Fields\n\n- `question`\n- `answer`\n";
            List<String> tags = new ArrayList<>(languages);
            tags.add("license:" + license);
            return new RepoDocument(new RepoId(RepoType.DATASET, owner, name), r.nextInt(20) == 0, "false", downloads,
                    likes, created, modified, sha(r), card, body, tags, Optional.empty(), Optional.empty(),
                    Optional.of(license), languages, List.of(), List.of(), Optional.empty(), RepoDocument.UNVERIFIED);
        }
        String base = BASES[r.nextInt(BASES.length)];
        boolean adapter = kind < 65;
        String name = base.substring(base.indexOf('/') + 1).toLowerCase() + "-" + topic.replace(' ', '-') + "-"
                + (adapter ? "lora" : word) + "-" + n;
        List<String> datasets = List.of(dataset(r.nextInt(DATASETS)));
        String task = adapter || r.nextBoolean() ? "text-generation" : pick(r, TASKS);
        Map<String, Object> card = new LinkedHashMap<>();
        card.put("base_model", base);
        card.put("library_name", adapter ? "peft" : "transformers");
        card.put("license", license);
        card.put("language", languages);
        card.put("datasets", datasets);
        card.put("pipeline_tag", task);
        card.put("tags", adapter ? List.of("lora", "transformers", "base_model:adapter:" + base) : List.of(word));
        int rank = 4 << r.nextInt(5);
        List<String> modules = List.of(MODULES[r.nextInt(4)], MODULES[4 + r.nextInt(3)]);
        Optional<AdapterSummary> summary = adapter ? Optional.of(new AdapterSummary("LORA", base,
                Optional.of(sha(r)), rank, rank * 2.0, modules, rank * 4096L * 2 * 32)) : Optional.empty();
        List<String> tags = new ArrayList<>();
        tags.add(adapter ? "peft" : "transformers");
        tags.add("safetensors");
        tags.addAll(adapter ? List.of("lora", "transformers") : List.of(word));
        datasets.forEach(d -> tags.add("dataset:" + d));
        tags.addAll(languages);
        tags.add("base_model:" + base);
        tags.add("base_model:" + (adapter ? "adapter" : "finetune") + ":" + base);
        tags.add("license:" + license);
        String body = body(name, base, topic, word, spanish, r, datasets.getFirst(), rank);
        return new RepoDocument(new RepoId(RepoType.MODEL, owner, name), r.nextInt(20) == 0, "false", downloads, likes,
                created, modified, sha(r), card, body, tags, Optional.of(adapter ? "peft" : "transformers"),
                Optional.of(task), Optional.of(license), languages, datasets,
                List.of(new RepoDocument.BaseModel(base, summary.flatMap(AdapterSummary::baseRevision))), summary,
                r.nextInt(3) == 0 ? "passed" : RepoDocument.UNVERIFIED);
    }

    private static String body(String name, String base, String topic, String word, boolean spanish,
            SplittableRandom r, String dataset, int rank) {
        StringBuilder b = new StringBuilder();
        b.append("# Model Card for ").append(name).append("\n\n");
        b.append("This is a ").append(word).append(" LoRA adapter of [").append(base).append("](https://huggingface.co/")
                .append(base).append(") for ").append(topic).append(".\n\n");
        if (spanish) {
            b.append("Modelo en español: ").append(pick(r, SPANISH)).append(". Entrenado con datos revisados por ")
                    .append("especialistas y evaluado en un conjunto de validación.\n\n");
        }
        b.append("## Model Details\n\n- **Developed by:** ").append(name.split("-")[0]).append("\n- **Model type:** ")
                .append("causal language model adapter\n- **Finetuned from model:** ").append(base).append("\n\n");
        b.append("## Uses\n\nUse it for ").append(topic).append(" tasks where a small, ").append(word)
                .append(" model is preferred over a large general one. Out-of-scope: anything safety-critical.\n\n");
        b.append("## Training Details\n\nTrained on [").append(dataset).append("] for ").append(1 + r.nextInt(5))
                .append(" epochs with learning rate ").append(String.format("%.0e", 1e-4 * (1 + r.nextInt(5))))
                .append(", rank ").append(rank).append(", batch size ").append(4 << r.nextInt(4)).append(".\n\n");
        b.append("## Evaluation\n\n| metric | value |\n|---|---|\n| eval loss | ")
                .append(String.format("%.3f", 0.5 + r.nextDouble() * 2)).append(" |\n| accuracy | ")
                .append(String.format("%.3f", 0.5 + r.nextDouble() / 2)).append(" |\n\n");
        b.append("### Framework versions\n\n- PEFT 0.13.2\n");
        return b.toString();
    }

    private static String pick(SplittableRandom r, String[] values) {
        return values[r.nextInt(values.length)];
    }

    private static String sha(SplittableRandom r) {
        return String.format("%016x%016x%08x", r.nextLong(), r.nextLong(), r.nextInt());
    }
}
