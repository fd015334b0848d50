package dev.quiver.schema.peft;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quiver.schema.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/** Reads and writes {@code adapter_config.json} with PEFT's key names and layout. */
final class AdapterConfigJson {

    static final Set<String> KNOWN_KEYS = Set.of("peft_type", "base_model_name_or_path", "revision", "task_type",
            "inference_mode", "r", "lora_alpha", "lora_dropout", "target_modules", "bias", "fan_in_fan_out",
            "use_rslora", "modules_to_save", "rank_pattern", "alpha_pattern");

    /** Python's {@code json.dumps(indent=2, sort_keys=True)}: two spaces, {@code "key": value}, {@code []} when empty. */
    private static final ObjectWriter WRITER = Json.mapper()
            .writer(new DefaultPrettyPrinter()
                    .withObjectIndenter(new DefaultIndenter("  ", "\n"))
                    .withArrayIndenter(new DefaultIndenter("  ", "\n"))
                    .withSeparators(Separators.createDefaultInstance()
                            .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                            .withObjectEmptySeparator("")
                            .withArrayEmptySeparator("")))
            .with(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    private AdapterConfigJson() {
    }

    static AdapterConfig read(String json) {
        JsonNode root;
        try {
            root = Json.mapper().readTree(json);
        } catch (JsonProcessingException e) {
            throw new AdapterConfigException(List.of("adapter_config.json is not valid JSON: " + e.getOriginalMessage()));
        }
        if (root == null || !root.isObject()) {
            throw new AdapterConfigException(List.of("adapter_config.json must be a JSON object"));
        }
        JsonFields fields = new JsonFields((ObjectNode) root);
        String peftType = fields.requiredText("peft_type", "LORA");
        String baseModel = fields.text("base_model_name_or_path").orElse("");
        Optional<String> revision = fields.text("revision");
        String taskType = fields.text("task_type").orElse("");
        fields.bool("inference_mode", true);
        int r = fields.integer("r", 8);
        double alpha = fields.number("lora_alpha", 8);
        double dropout = fields.number("lora_dropout", 0);
        Optional<String> targetRegex = fields.textOrList("target_modules");
        List<String> targets = targetRegex.isPresent() ? List.of() : fields.texts("target_modules");
        String bias = fields.text("bias").orElse("none");
        boolean fanInFanOut = fields.bool("fan_in_fan_out", false);
        boolean useRslora = fields.bool("use_rslora", false);
        List<String> modulesToSave = fields.texts("modules_to_save");
        Map<String, Integer> rankPattern = fields.integers("rank_pattern");
        Map<String, Double> alphaPattern = fields.numbers("alpha_pattern");
        Map<String, Object> other = fields.rest();

        List<String> errors = new ArrayList<>(fields.errors());
        try {
            AdapterConfig config = new AdapterConfig(peftType, baseModel, revision, taskType, r, alpha, dropout, targets,
                    targetRegex, bias, fanInFanOut, useRslora, modulesToSave, rankPattern, alphaPattern, other);
            if (errors.isEmpty()) {
                return config;
            }
        } catch (AdapterConfigException e) {
            errors.addAll(e.errors());
        }
        throw new AdapterConfigException(errors);
    }

    static String write(AdapterConfig c) {
        Map<String, Object> out = new TreeMap<>(c.other());
        Map<String, Object> alphaPattern = new TreeMap<>();
        c.alphaPattern().forEach((key, alpha) -> alphaPattern.put(key, pythonNumber(alpha)));
        out.put("alpha_pattern", alphaPattern);
        out.put("base_model_name_or_path", emptyToNull(c.baseModelNameOrPath()));
        out.put("bias", c.bias());
        out.put("fan_in_fan_out", c.fanInFanOut());
        out.put("inference_mode", true);
        out.put("lora_alpha", pythonNumber(c.loraAlpha()));
        out.put("lora_dropout", c.loraDropout());
        out.put("modules_to_save", c.modulesToSave().isEmpty() ? null : c.modulesToSave());
        out.put("peft_type", c.peftType());
        out.put("r", c.r());
        out.put("rank_pattern", c.rankPattern());
        out.put("revision", c.revision().orElse(null));
        out.put("target_modules", c.targetModulesRegex().isPresent() ? c.targetModulesRegex().get()
                : c.targetModules().isEmpty() ? null : c.targetModules());
        out.put("task_type", emptyToNull(c.taskType()));
        out.put("use_rslora", c.useRslora());
        try {
            return WRITER.writeValueAsString(out);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("adapter config cannot be written as JSON", e);
        }
    }

    /** PEFT's alphas are usually Python ints, written without a fraction; keep them looking that way. */
    private static Object pythonNumber(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? (Object) (long) value : (Object) value;
    }

    private static String emptyToNull(String value) {
        return value.isEmpty() ? null : value;
    }
}
