package dev.quiver.runner.lora;

import ai.djl.ndarray.NDArray;
import dev.quiver.runner.TrainerException;
import dev.quiver.runner.model.Architecture;
import dev.quiver.runner.model.CausalLm;
import dev.quiver.runner.model.SafetensorsArrays;
import dev.quiver.schema.peft.AdapterConfig;
import dev.quiver.schema.peft.AdapterConfigException;
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
 * key names) and {@code adapter_config.json} (through the schema's {@link AdapterConfig}: PEFT's fields, sorted
 * keys), both ways.
 */
public final class PeftAdapterFiles {
    public static final String WEIGHTS = "adapter_model.safetensors";
    public static final String CONFIG = "adapter_config.json";

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
        Files.writeString(dir.resolve(CONFIG), config(adapter, model, base).toJson());
    }

    /** The adapter_config.json PEFT would write for this adapter after matching its targets. */
    static AdapterConfig config(LoraAdapter adapter, CausalLm model, BaseModelName base) {
        LoraSpec spec = adapter.spec();
        AdapterConfig.Builder c = AdapterConfig.builder()
                .baseModel(base.nameOrPath())
                .r(spec.r())
                .loraAlpha(spec.alpha())
                .loraDropout(spec.dropout())
                .useRslora(spec.useRslora())
                // PEFT forces fan_in_fan_out on for transformers' Conv1D (GPT-2) and records it in the config.
                .fanInFanOut(adapter.layers().stream().anyMatch(l -> model.linears().get(l.modulePath()).fanInFanOut()))
                .other("init_lora_weights", true)
                .other("use_dora", false);
        base.revision().ifPresent(c::revision);
        if (spec.targets() instanceof TargetModules.Regex re) {
            c.targetModulesRegex(re.pattern());
        } else {
            c.targetModules(adapter.targetNames());
        }
        return c.build();
    }

    /**
     * The LoRA settings an adapter_config.json records, checked for what this runner supports.
     * With no target_modules the config means PEFT's default for {@code architecture}.
     */
    public static LoraSpec readSpec(Path dir, Architecture architecture) {
        AdapterConfig c = readConfig(dir);
        List<String> errors = new ArrayList<>();
        if (c.other().get("use_dora") instanceof Boolean dora && dora) {
            errors.add("DoRA adapters are not supported");
        }
        if (!c.rankPattern().isEmpty() || !c.alphaPattern().isEmpty()) {
            errors.add("per-module rank_pattern/alpha_pattern are not supported");
        }
        if (!c.modulesToSave().isEmpty()) {
            errors.add("modules_to_save is not supported");
        }
        if (!c.bias().equals("none")) {
            errors.add("bias '" + c.bias() + "' is not supported (only none)");
        }
        if (!errors.isEmpty()) {
            throw new TrainerException(dir.resolve(CONFIG) + ": " + String.join("; ", errors)
                    + "; this runner verifies plain LoRA adapters");
        }
        TargetModules targets = c.targetsAllLinear() ? new TargetModules.AllLinear()
                : c.targetModulesRegex().<TargetModules>map(TargetModules.Regex::new)
                        .orElseGet(() -> new TargetModules.Names(c.targetModules().isEmpty()
                                ? architecture.defaultTargets() : c.targetModules()));
        return new LoraSpec(c.r(), c.loraAlpha(), c.loraDropout(), targets, c.useRslora());
    }

    /** Reads adapter_config.json with the schema's PEFT reader; every problem it finds is in the message. */
    public static AdapterConfig readConfig(Path dir) {
        Path file = dir.resolve(CONFIG);
        try {
            return AdapterConfig.parse(Files.readString(file));
        } catch (AdapterConfigException e) {
            throw new TrainerException(file + ": " + String.join("; ", e.errors()), e);
        } catch (IOException e) {
            throw new TrainerException("cannot read " + file + " (" + e + "); an adapter folder holds " + CONFIG
                    + " and " + WEIGHTS, e);
        }
    }

    /** Loads a PEFT adapter folder onto {@code model}; every tensor must name a module of the model. */
    public static LoraAdapter load(Path dir, CausalLm model) {
        LoraSpec spec = readSpec(dir, model.config().architecture());
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
