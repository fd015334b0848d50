package dev.quiver.schema.peft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Odd and broken adapter configs are refused with every problem named, never with a stray exception. */
class AdapterConfigHostileInputTest {

    private static List<String> errors(String json) {
        return catchThrowableOfType(AdapterConfigException.class, () -> AdapterConfig.parse(json)).errors();
    }

    @Test
    void everyProblemIsListedAtOnce() {
        List<String> errors = errors("""
                {"peft_type": "LORA", "r": 0, "lora_alpha": -1, "lora_dropout": 1.5, "bias": "some",
                 "target_modules": "(unclosed", "rank_pattern": {"q": 0}, "alpha_pattern": {"q": "x"}}
                """);

        assertThat(errors).hasSize(7);
        assertThat(errors).anyMatch(e -> e.startsWith("r must be greater than 0"))
                .anyMatch(e -> e.startsWith("lora_alpha must be a number greater than 0"))
                .anyMatch(e -> e.startsWith("lora_dropout must be between 0 and 1"))
                .anyMatch(e -> e.startsWith("bias must be one of"))
                .anyMatch(e -> e.startsWith("target_modules is not a regular expression"))
                .anyMatch(e -> e.startsWith("rank_pattern.q must be greater than 0"))
                .anyMatch(e -> e.startsWith("alpha_pattern.q must be a number"));
    }

    @Test
    void missingPeftTypeIsRequired() {
        assertThat(errors("{\"r\": 8}")).containsExactly("peft_type is required");
        assertThat(errors("{\"peft_type\": null}")).containsExactly("peft_type is required");
    }

    @Test
    void otherPeftMethodsAreRefused() {
        assertThat(errors("{\"peft_type\": \"LOHA\"}")).singleElement().asString().contains("must be LORA");
    }

    @Test
    void wrongTypesAreNamedWithTheirKey() {
        List<String> errors = errors("""
                {"peft_type": 1, "r": "8", "lora_alpha": "16", "use_rslora": "yes", "fan_in_fan_out": 0,
                 "target_modules": [1, "q"], "modules_to_save": "lm_head", "base_model_name_or_path": ["a"],
                 "rank_pattern": [], "revision": 7}
                """);

        assertThat(errors).anyMatch(e -> e.startsWith("peft_type must be a string"))
                .anyMatch(e -> e.startsWith("r must be a whole number"))
                .anyMatch(e -> e.startsWith("lora_alpha must be a number"))
                .anyMatch(e -> e.startsWith("use_rslora must be true or false"))
                .anyMatch(e -> e.startsWith("fan_in_fan_out must be true or false"))
                .anyMatch(e -> e.startsWith("target_modules must be a list of strings or one string"))
                .anyMatch(e -> e.startsWith("modules_to_save must be a list of strings"))
                .anyMatch(e -> e.startsWith("base_model_name_or_path must be a string"))
                .anyMatch(e -> e.startsWith("rank_pattern must be an object"))
                .anyMatch(e -> e.startsWith("revision must be a string"));
    }

    @Test
    void fractionalOrHugeRankIsNotAWholeNumber() {
        assertThat(errors("{\"peft_type\": \"LORA\", \"r\": 8.5}")).singleElement().asString().startsWith("r must be a whole number");
        assertThat(errors("{\"peft_type\": \"LORA\", \"r\": 8.0}")).singleElement().asString().startsWith("r must be a whole number");
        assertThat(errors("{\"peft_type\": \"LORA\", \"r\": 99999999999}")).singleElement().asString().startsWith("r must be a whole number");
    }

    @Test
    void duplicateKeysAreRefused() {
        assertThat(errors("{\"peft_type\": \"LORA\", \"r\": 8, \"r\": 64}")).singleElement().asString()
                .startsWith("adapter_config.json is not valid JSON").contains("r");
    }

    @Test
    void textThatIsNotAJsonObjectIsRefused() {
        assertThat(errors("")).containsExactly("adapter_config.json must be a JSON object");
        assertThat(errors("[]")).containsExactly("adapter_config.json must be a JSON object");
        assertThat(errors("\"LORA\"")).containsExactly("adapter_config.json must be a JSON object");
        assertThat(errors("{\"peft_type\": \"LORA\"")).singleElement().asString().startsWith("adapter_config.json is not valid JSON");
        assertThat(errors("{\"peft_type\": \"LORA\"} {}")).singleElement().asString().startsWith("adapter_config.json is not valid JSON");
        assertThat(errors("{\"peft_type\": \"LORA\", \"lora_alpha\": NaN}")).singleElement().asString()
                .startsWith("adapter_config.json is not valid JSON");
    }

    @Test
    void blankAndRepeatedTargetModulesAreRefused() {
        assertThat(errors("{\"peft_type\": \"LORA\", \"target_modules\": [\"q_proj\", \"q_proj\", \" \"]}"))
                .containsExactlyInAnyOrder("target_modules must not hold blank names", "target_modules names a module twice");
    }

    @Test
    void nullForOptionalKeysMeansTheirDefault() {
        AdapterConfig config = AdapterConfig.parse("""
                {"peft_type": "LORA", "r": null, "target_modules": null, "modules_to_save": null, "bias": null,
                 "rank_pattern": null, "task_type": null}
                """);

        assertThat(config.r()).isEqualTo(8);
        assertThat(config.targetModules()).isEmpty();
        assertThat(config.bias()).isEqualTo("none");
    }

    @Test
    void unknownKeysOfAnyShapeArePreserved() {
        AdapterConfig config = AdapterConfig.parse("""
                {"peft_type": "LORA", "future": {"nested": [1, {"b": 2.5}], "z": null}, "layers_to_transform": 3}
                """);

        assertThat(AdapterConfig.parse(config.toJson())).isEqualTo(config);
        assertThat(config.toJson()).contains("\"future\": {\n    \"nested\": [");
    }
}
