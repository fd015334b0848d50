package dev.quiver.runner.model;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The causal-LM families the runner can build, keyed by config.json's {@code model_type}. */
public enum Architecture {
    LLAMA("llama", "LlamaForCausalLM", List.of("q_proj", "v_proj")),
    MISTRAL("mistral", "MistralForCausalLM", List.of("q_proj", "v_proj")),
    QWEN2("qwen2", "Qwen2ForCausalLM", List.of("q_proj", "v_proj")),
    GPT2("gpt2", "GPT2LMHeadModel", List.of("c_attn"));

    private final String modelType;
    private final String className;
    private final List<String> defaultTargets;

    Architecture(String modelType, String className, List<String> defaultTargets) {
        this.modelType = modelType;
        this.className = className;
        this.defaultTargets = defaultTargets;
    }

    /** config.json's {@code model_type}. */
    public String modelType() {
        return modelType;
    }

    /** The transformers class named in config.json's {@code architectures}. */
    public String className() {
        return className;
    }

    /** PEFT's default {@code target_modules} for this family when a recipe names none. */
    public List<String> defaultTargets() {
        return defaultTargets;
    }

    public boolean isLlamaFamily() {
        return this != GPT2;
    }

    public static Optional<Architecture> fromModelType(String modelType) {
        for (Architecture a : values()) {
            if (a.modelType.equals(modelType.toLowerCase(Locale.ROOT))) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }
}
