package dev.quiver.runner.lora;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quiver.runner.TestModels;
import dev.quiver.runner.model.Architecture;
import dev.quiver.runner.model.CausalLm;
import dev.quiver.runner.model.ModelLoader;
import dev.quiver.schema.peft.AdapterConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PeftAdapterFilesTest {
    @TempDir Path dir;

    @Test
    void theConfigHasPeftsFieldSetAndReadsBackToTheSameSpec() throws Exception {
        Path base = TestModels.tiny(dir.resolve("gpt2"), Architecture.GPT2, 32, 4, 4);
        try (CausalLm model = ModelLoader.load(base)) {
            LoraSpec spec = new LoraSpec(4, 8, 0.05, new TargetModules.Names(List.of("c_attn", "c_fc")), true);
            LoraAdapter adapter = LoraAdapter.create(model, spec, 1);
            PeftAdapterFiles.save(dir.resolve("a"), adapter, model,
                    new PeftAdapterFiles.BaseModelName("acme/gpt2", Optional.of("0".repeat(40))));
        }
        String json = Files.readString(dir.resolve("a").resolve(PeftAdapterFiles.CONFIG));
        JsonNode c = new ObjectMapper().readTree(json);
        assertThat(c.fieldNames()).toIterable().containsExactly("alpha_pattern", "base_model_name_or_path", "bias",
                "fan_in_fan_out", "inference_mode", "init_lora_weights", "lora_alpha", "lora_dropout", "modules_to_save",
                "peft_type", "r", "rank_pattern", "revision", "target_modules", "task_type", "use_dora", "use_rslora");
        assertThat(c.get("fan_in_fan_out").asBoolean()).as("GPT-2's Conv1D, as PEFT records it").isTrue();
        assertThat(c.get("target_modules")).extracting(JsonNode::asText).containsExactly("c_attn", "c_fc");
        assertThat(c.get("modules_to_save").isNull()).isTrue();
        assertThat(AdapterConfig.parse(json).toJson()).isEqualTo(json);
        assertThat(PeftAdapterFiles.readSpec(dir.resolve("a"), Architecture.GPT2)).isEqualTo(
                new LoraSpec(4, 8, 0.05, new TargetModules.Names(List.of("c_attn", "c_fc")), true));
    }

    @Test
    void noTargetModulesMeansPeftsDefaultForTheArchitecture() throws Exception {
        Files.writeString(dir.resolve(PeftAdapterFiles.CONFIG),
                "{\"peft_type\": \"LORA\", \"r\": 4, \"lora_alpha\": 8, \"target_modules\": null}");
        assertThat(PeftAdapterFiles.readSpec(dir, Architecture.QWEN2).targets())
                .isEqualTo(new TargetModules.Names(List.of("q_proj", "v_proj")));
        Files.writeString(dir.resolve(PeftAdapterFiles.CONFIG),
                "{\"peft_type\": \"LORA\", \"r\": 4, \"target_modules\": \"all-linear\"}");
        assertThat(PeftAdapterFiles.readSpec(dir, Architecture.LLAMA).targets()).isEqualTo(new TargetModules.AllLinear());
    }
}
