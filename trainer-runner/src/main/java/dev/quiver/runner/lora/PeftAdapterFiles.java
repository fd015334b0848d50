package dev.quiver.runner.lora;

import ai.djl.ndarray.NDArray;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.quiver.runner.TrainerException;
import dev.quiver.runner.model.CausalLm;
import dev.quiver.runner.model.SafetensorsArrays;
import dev.quiver.schema.safetensors.Dtype;
import dev.quiver.schema.safetensors.SafetensorsWriter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A PEFT adapter folder: {@code adapter_model.safetensors} (F32, metadata {"format":"pt"}, PEFT's
 * key names) and {@code adapter_config.json} (PEFT's LoRA fields, sorted keys), both ways.
 */
public final class PeftAdapterFiles {
    public static final String WEIGHTS = "adapter_model.safetensors";
    public static final String CONFIG = "adapter_config.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .enable(SerializationFeature.INDENT_OUTPUT);

    private PeftAdapterFiles() {}

    /** What names the base model in adapter_config.json: repo id or path, and the pinned revision. */
    public record BaseModelName(String nameOrPath, Optional<String> revision) {}

    public static void save(Path dir, LoraAdapter adapter, CausalLm model, BaseModelName base) throws IOException {
        Files.createDirectories(dir);
        SafetensorsWriter writer = new SafetensorsWriter();
        for (Map.Entry<String, NDArray> e : adapter.stateDict().entrySet()) {
            float[] values = e.getValue().toFloatArray();
            ByteBuffer buf = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
            buf.asFloatBuffer().put(values);
            writer.add(e.getKey(), Dtype.F32, e.getValue().getShape().getShape(), buf);
        }
        writer.write(dir.resolve(WEIGHTS));
        Files.writeString(dir.resolve(CONFIG), JSON.writeValueAsString(config(adapter, model, base)) + "\n");
    }

    private static Map<String, Object> config(LoraAdapter adapter, CausalLm model, BaseModelName base) {
        LoraSpec spec = adapter.spec();
        Map<String, Object> c = new TreeMap<>();
        c.put("peft_type", "LORA");
        c.put("task_type", "CAUSAL_LM");
        c.put("base_model_name_or_path", base.nameOrPath());
        c.put("revision", base.revision().orElse(null));
        c.put("inference_mode", true);
        c.put("r", spec.r());
        c.put("lora_alpha", spec.alpha());
        c.put("lora_dropout", spec.dropout());
        c.put("use_rslora", spec.useRslora());
        c.put("target_modules", spec.targets() instanceof TargetModules.Regex re ? re.pattern() : adapter.targetNames());
        c.put("bias", "none");
        // PEFT forces fan_in_fan_out on for transformers' Conv1D (GPT-2) and records it in the config.
        c.put("fan_in_fan_out", adapter.layers().stream().anyMatch(l -> model.linears().get(l.modulePath()).fanInFanOut()));
        c.put("init_lora_weights", true);
        c.put("modules_to_save", null);
        c.put("rank_pattern", Map.of());
        c.put("alpha_pattern", Map.of());
        c.put("use_dora", false);
        return c;
    }

    /** The LoRA settings an adapter_config.json records, checked for what this runner supports. */
    public static LoraSpec readSpec(Path dir) {
        JsonNode c;
        try {
            c = JSON.readTree(dir.resolve(CONFIG).toFile());
        } catch (IOException e) {
            throw new TrainerException(dir.resolve(CONFIG) + " cannot be read: " + e.getMessage(), e);
        }
        List<String> errors = new ArrayList<>();
        if (!"LORA".equals(c.path("peft_type").asText())) {
            errors.add("peft_type is '" + c.path("peft_type").asText() + "', not LORA");
        }
        if (c.path("use_dora").asBoolean(false)) {
            errors.add("DoRA adapters are not supported");
        }
        if (c.path("rank_pattern").size() > 0 || c.path("alpha_pattern").size() > 0) {
            errors.add("per-module rank_pattern/alpha_pattern are not supported");
        }
        if (!c.path("r").canConvertToInt() || c.path("r").asInt() <= 0) {
            errors.add("r must be a positive integer");
        }
        if (!errors.isEmpty()) {
            throw new TrainerException(dir.resolve(CONFIG) + ": " + String.join("; ", errors));
        }
        JsonNode t = c.path("target_modules");
        TargetModules targets = t.isTextual() ? new TargetModules.Regex(t.asText())
                : new TargetModules.Names(JSON.convertValue(t.isArray() && t.size() > 0 ? t : JSON.createArrayNode().add("?"),
                        JSON.getTypeFactory().constructCollectionType(List.class, String.class)));
        return new LoraSpec(c.get("r").asInt(), c.path("lora_alpha").asDouble(8), c.path("lora_dropout").asDouble(0),
                targets, c.path("use_rslora").asBoolean(false));
    }

    /** Loads a PEFT adapter folder onto {@code model}; every tensor must name a module of the model. */
    public static LoraAdapter load(Path dir, CausalLm model) {
        LoraSpec spec = readSpec(dir);
        Map<String, NDArray> tensors = SafetensorsArrays.read(dir.resolve(WEIGHTS), model.manager());
        SortedMap<String, NDArray[]> byModule = new TreeMap<>();
        for (Map.Entry<String, NDArray> e : tensors.entrySet()) {
            ModuleKey k = ModuleKey.parse(e.getKey());
            byModule.computeIfAbsent(k.modulePath(), p -> new NDArray[2])[k.isA() ? 0 : 1] = e.getValue();
        }
        byModule.forEach((path, ab) -> {
            if (ab[0] == null || ab[1] == null) {
                throw new TrainerException(WEIGHTS + " has only one of lora_A/lora_B for " + path);
            }
            if (ab[0].getShape().get(0) != spec.r()) {
                throw new TrainerException(WEIGHTS + ": " + path + ".lora_A has rank " + ab[0].getShape().get(0)
                        + " but adapter_config.json says r=" + spec.r());
            }
        });
        return LoraAdapter.attachLoaded(model, spec, byModule);
    }

    /** A saved LoRA key taken apart: {@code base_model.model.<path>.lora_A.weight}. */
    public record ModuleKey(String modulePath, boolean isA) {
        public static ModuleKey parse(String key) {
            if (!key.startsWith(LoraAdapter.KEY_PREFIX)) {
                throw new TrainerException(WEIGHTS + ": tensor " + key + " does not start with " + LoraAdapter.KEY_PREFIX);
            }
            String rest = key.substring(LoraAdapter.KEY_PREFIX.length());
            if (rest.endsWith(".lora_A.weight")) {
                return new ModuleKey(rest.substring(0, rest.length() - ".lora_A.weight".length()), true);
            }
            if (rest.endsWith(".lora_B.weight")) {
                return new ModuleKey(rest.substring(0, rest.length() - ".lora_B.weight".length()), false);
            }
            throw new TrainerException(WEIGHTS + ": tensor " + key + " is not a LoRA A/B weight (biases, embeddings "
                    + "and modules_to_save are not supported)");
        }
    }
}
