package dev.quiver.schema.peft;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AdapterConfigTest {

    static String peftSavedConfig() throws IOException {
        try (InputStream in = AdapterConfigTest.class.getResourceAsStream("/dev/quiver/schema/peft/peft-0.13-adapter_config.json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void configSavedByPeftIsReadWithEveryField() throws IOException {
        AdapterConfig config = AdapterConfig.parse(peftSavedConfig());

        assertThat(config.peftType()).isEqualTo("LORA");
        assertThat(config.baseModelNameOrPath()).isEqualTo("meta-llama/Llama-2-7b-hf");
        assertThat(config.revision()).isEmpty();
        assertThat(config.taskType()).isEqualTo("CAUSAL_LM");
        assertThat(config.r()).isEqualTo(8);
        assertThat(config.loraAlpha()).isEqualTo(16.0);
        assertThat(config.loraDropout()).isEqualTo(0.05);
        assertThat(config.targetModules()).containsExactly("v_proj", "q_proj");
        assertThat(config.targetModulesRegex()).isEmpty();
        assertThat(config.modulesToSave()).isEmpty();
        assertThat(config.other()).containsEntry("use_dora", false).containsEntry("megatron_core", "megatron.core")
                .containsEntry("loftq_config", Map.of()).containsEntry("auto_mapping", null)
                .doesNotContainKey("inference_mode");
    }

    @Test
    void configSavedByPeftIsWrittenBackByteForByte() throws IOException {
        String saved = peftSavedConfig();

        assertThat(AdapterConfig.parse(saved).toJson()).isEqualTo(saved);
    }

    @Test
    void builtConfigRoundTripsThroughJson() {
        AdapterConfig config = AdapterConfig.builder()
                .baseModel("acme/tiny-llama").revision("0123456789abcdef0123456789abcdef01234567")
                .r(16).loraAlpha(32).loraDropout(0.1).targetModules(List.of("q_proj", "k_proj", "v_proj"))
                .useRslora(true).modulesToSave(List.of("lm_head"))
                .rankPattern(Map.of("model.layers.0.self_attn.q_proj", 4)).alphaPattern(Map.of("model.layers.0", 2.5))
                .other("peft_version", "0.17.1").other("layers_to_transform", List.of(0, 1))
                .build();

        assertThat(AdapterConfig.parse(config.toJson())).isEqualTo(config);
    }

    @Test
    void toJsonSortsKeysAndMarksTheConfigForInference() {
        String json = AdapterConfig.builder().baseModel("acme/m").targetModules(List.of("c_attn")).build().toJson();

        assertThat(json).startsWith("{\n  \"alpha_pattern\": {},\n  \"base_model_name_or_path\": \"acme/m\",")
                .contains("\"inference_mode\": true").contains("\"revision\": null").contains("\"lora_alpha\": 8,")
                .contains("\"target_modules\": [\n    \"c_attn\"\n  ],");
    }

    @Test
    void targetModulesAsOneStringIsARegexAndAllLinearIsRecognised() {
        AdapterConfig regex = AdapterConfig.parse("{\"peft_type\":\"LORA\",\"target_modules\":\".*\\\\.(q|v)_proj\"}");
        AdapterConfig allLinear = AdapterConfig.parse("{\"peft_type\":\"LORA\",\"target_modules\":\"all-linear\"}");

        assertThat(regex.targetModulesRegex()).contains(".*\\.(q|v)_proj");
        assertThat(regex.targetModules()).isEmpty();
        assertThat(regex.targetsAllLinear()).isFalse();
        assertThat(allLinear.targetsAllLinear()).isTrue();
        assertThat(allLinear.toJson()).contains("\"target_modules\": \"all-linear\"");
    }

    @Test
    void onlyPeftTypeIsRequiredAndPeftDefaultsFillTheRest() {
        AdapterConfig config = AdapterConfig.parse("{\"peft_type\": \"LORA\"}");

        assertThat(config.r()).isEqualTo(8);
        assertThat(config.loraAlpha()).isEqualTo(8.0);
        assertThat(config.loraDropout()).isZero();
        assertThat(config.bias()).isEqualTo("none");
        assertThat(config.baseModelNameOrPath()).isEmpty();
        assertThat(config.taskType()).isEmpty();
        assertThat(config.targetModules()).isEmpty();
    }

    @Test
    void scalingIsAlphaOverRankOrOverItsRootWithRslora() {
        AdapterConfig plain = AdapterConfig.builder().r(16).loraAlpha(32).build();

        assertThat(plain.scaling()).isEqualTo(2.0);
        assertThat(AdapterConfig.builder().r(16).loraAlpha(32).useRslora(true).build().scaling()).isEqualTo(8.0);
    }

    @Test
    void withRevisionAndWithBaseModelChangeOnlyThatField() {
        AdapterConfig config = AdapterConfig.builder().baseModel("a/b").r(4).other("use_dora", false).build();

        AdapterConfig pinned = config.withRevision("0123456789abcdef0123456789abcdef01234567").withBaseModel("c/d");

        assertThat(pinned.revision()).contains("0123456789abcdef0123456789abcdef01234567");
        assertThat(pinned.baseModelNameOrPath()).isEqualTo("c/d");
        assertThat(pinned.r()).isEqualTo(4);
        assertThat(pinned.other()).isEqualTo(config.other());
    }
}
