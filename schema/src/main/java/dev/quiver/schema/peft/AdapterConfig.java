package dev.quiver.schema.peft;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * PEFT's {@code adapter_config.json} for a LoRA adapter.
 *
 * <p>Names follow PEFT's keys. Where PEFT writes {@code null}, the record holds an empty
 * value: {@code baseModelNameOrPath} and {@code taskType} are {@code ""} when the config
 * names none, {@code targetModules} is empty when PEFT's per-architecture default applies.
 * {@code target_modules} written as one string (a regular expression PEFT full-matches
 * against module names, or {@code "all-linear"}) is {@code targetModulesRegex}. Keys this
 * record does not name ({@code use_dora}, {@code peft_version}, {@code layers_to_transform},
 * ...) are kept in {@code other}, with their JSON values as maps, lists, strings, numbers,
 * booleans or {@code null}, and written back unchanged.
 *
 * <p>The constructor checks every rule and throws {@link AdapterConfigException} listing all
 * that fail: peft_type LORA, r &gt; 0, lora_alpha &gt; 0, lora_dropout in [0, 1], a valid
 * target regex, a known bias mode, positive rank and alpha patterns.
 */
public record AdapterConfig(
        String peftType,
        String baseModelNameOrPath,
        Optional<String> revision,
        String taskType,
        int r,
        double loraAlpha,
        double loraDropout,
        List<String> targetModules,
        Optional<String> targetModulesRegex,
        String bias,
        boolean fanInFanOut,
        boolean useRslora,
        List<String> modulesToSave,
        Map<String, Integer> rankPattern,
        Map<String, Double> alphaPattern,
        Map<String, Object> other) {

    public AdapterConfig {
        Objects.requireNonNull(peftType, "peftType");
        Objects.requireNonNull(baseModelNameOrPath, "baseModelNameOrPath");
        Objects.requireNonNull(revision, "revision");
        Objects.requireNonNull(taskType, "taskType");
        Objects.requireNonNull(targetModulesRegex, "targetModulesRegex");
        Objects.requireNonNull(bias, "bias");
        targetModules = List.copyOf(targetModules);
        modulesToSave = List.copyOf(modulesToSave);
        rankPattern = Collections.unmodifiableSortedMap(new TreeMap<>(rankPattern));
        alphaPattern = Collections.unmodifiableSortedMap(new TreeMap<>(alphaPattern));
        other = Collections.unmodifiableMap(new LinkedHashMap<>(other));
        List<String> problems = AdapterConfigRules.problems(peftType, revision, r, loraAlpha, loraDropout,
                targetModules, targetModulesRegex, bias, modulesToSave, rankPattern, alphaPattern, other.keySet());
        if (!problems.isEmpty()) {
            throw new AdapterConfigException(problems);
        }
    }

    /**
     * Reads an {@code adapter_config.json}.
     *
     * @throws AdapterConfigException listing every problem: JSON that does not parse (or
     *     repeats a key), keys of the wrong type, and every rule the constructor checks
     */
    public static AdapterConfig parse(String json) {
        return AdapterConfigJson.read(json);
    }

    /** A builder with PEFT's defaults (r 8, alpha 8, dropout 0, bias none) and task type CAUSAL_LM. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The file as PEFT's {@code save_pretrained} writes it: keys sorted, two-space indent,
     * {@code inference_mode: true}, {@code null} for what is not set.
     */
    public String toJson() {
        return AdapterConfigJson.write(this);
    }

    /** The factor LoRA's update is multiplied by: alpha / r, or alpha / sqrt(r) with rsLoRA. */
    public double scaling() {
        return useRslora ? loraAlpha / Math.sqrt(r) : loraAlpha / r;
    }

    /** Whether {@code target_modules} is PEFT's {@code "all-linear"} shorthand. */
    public boolean targetsAllLinear() {
        return targetModulesRegex.filter(AdapterConfigRules.ALL_LINEAR::equals).isPresent();
    }

    /** This config pinned to a base model commit. */
    public AdapterConfig withRevision(String revision) {
        return toBuilder().revision(revision).build();
    }

    /** This config for another base model id or path. */
    public AdapterConfig withBaseModel(String baseModelNameOrPath) {
        return toBuilder().baseModel(baseModelNameOrPath).build();
    }

    private Builder toBuilder() {
        Builder b = new Builder();
        b.peftType = peftType;
        b.baseModel = baseModelNameOrPath;
        b.revision = revision;
        b.taskType = taskType;
        b.r = r;
        b.loraAlpha = loraAlpha;
        b.loraDropout = loraDropout;
        b.targetModules = targetModules;
        b.targetModulesRegex = targetModulesRegex;
        b.bias = bias;
        b.fanInFanOut = fanInFanOut;
        b.useRslora = useRslora;
        b.modulesToSave = modulesToSave;
        b.rankPattern = rankPattern;
        b.alphaPattern = alphaPattern;
        b.other.putAll(other);
        return b;
    }

    /** Builds an {@link AdapterConfig}; {@link #build()} throws {@link AdapterConfigException} like the constructor. */
    public static final class Builder {
        private String peftType = "LORA";
        private String baseModel = "";
        private Optional<String> revision = Optional.empty();
        private String taskType = "CAUSAL_LM";
        private int r = 8;
        private double loraAlpha = 8;
        private double loraDropout = 0;
        private List<String> targetModules = List.of();
        private Optional<String> targetModulesRegex = Optional.empty();
        private String bias = "none";
        private boolean fanInFanOut;
        private boolean useRslora;
        private List<String> modulesToSave = List.of();
        private Map<String, Integer> rankPattern = Map.of();
        private Map<String, Double> alphaPattern = Map.of();
        private final Map<String, Object> other = new LinkedHashMap<>();

        private Builder() {
        }

        public Builder peftType(String peftType) {
            this.peftType = peftType;
            return this;
        }

        public Builder baseModel(String baseModelNameOrPath) {
            this.baseModel = baseModelNameOrPath;
            return this;
        }

        public Builder revision(String revision) {
            this.revision = Optional.of(revision);
            return this;
        }

        public Builder taskType(String taskType) {
            this.taskType = taskType;
            return this;
        }

        public Builder r(int r) {
            this.r = r;
            return this;
        }

        public Builder loraAlpha(double loraAlpha) {
            this.loraAlpha = loraAlpha;
            return this;
        }

        public Builder loraDropout(double loraDropout) {
            this.loraDropout = loraDropout;
            return this;
        }

        /** Module names to adapt; clears a regex set before. */
        public Builder targetModules(List<String> names) {
            this.targetModules = new ArrayList<>(names);
            this.targetModulesRegex = Optional.empty();
            return this;
        }

        /** A regular expression (or {@code "all-linear"}) to adapt; clears names set before. */
        public Builder targetModulesRegex(String regex) {
            this.targetModulesRegex = Optional.of(regex);
            this.targetModules = List.of();
            return this;
        }

        public Builder bias(String bias) {
            this.bias = bias;
            return this;
        }

        public Builder fanInFanOut(boolean fanInFanOut) {
            this.fanInFanOut = fanInFanOut;
            return this;
        }

        public Builder useRslora(boolean useRslora) {
            this.useRslora = useRslora;
            return this;
        }

        public Builder modulesToSave(List<String> names) {
            this.modulesToSave = new ArrayList<>(names);
            return this;
        }

        public Builder rankPattern(Map<String, Integer> pattern) {
            this.rankPattern = new LinkedHashMap<>(pattern);
            return this;
        }

        public Builder alphaPattern(Map<String, Double> pattern) {
            this.alphaPattern = new LinkedHashMap<>(pattern);
            return this;
        }

        /** A key PEFT knows but this record does not name, such as {@code peft_version}. */
        public Builder other(String key, Object value) {
            this.other.put(key, value);
            return this;
        }

        public AdapterConfig build() {
            return new AdapterConfig(peftType, baseModel, revision, taskType, r, loraAlpha, loraDropout,
                    targetModules, targetModulesRegex, bias, fanInFanOut, useRslora, modulesToSave, rankPattern,
                    alphaPattern, other);
        }
    }
}
