package dev.quiver.server.card;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quiver.schema.card.ModelCard;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads an {@code adapter_config.json} leniently into an {@link AdapterSummary}. The write path
 * validates configs strictly; a read must describe whatever a revision holds, so only
 * {@code peft_type} is required and missing LoRA keys take PEFT's defaults ({@code r=8},
 * {@code lora_alpha=8}).
 */
final class AdapterConfigs {
    private static final int PEFT_DEFAULT_R = 8;
    private static final double PEFT_DEFAULT_ALPHA = 8;

    private AdapterConfigs() {
    }

    /**
     * The summary of {@code config}, or empty when it has no {@code peft_type}. The base model and its
     * revision fall back to the card's {@code base_model} and {@code base_model_revision}.
     */
    static Optional<AdapterSummary> summary(JsonNode config, long parameters, ModelCard card) {
        String peftType = text(config, "peft_type").orElse("");
        if (peftType.isEmpty()) {
            return Optional.empty();
        }
        boolean lora = peftType.equalsIgnoreCase("LORA");
        String base = text(config, "base_model_name_or_path").or(() -> card.strings("base_model").stream().findFirst())
                .orElse("");
        Optional<String> revision = text(config, "revision").or(() -> card.string("base_model_revision"));
        JsonNode r = config.path("r");
        JsonNode alpha = config.path("lora_alpha");
        return Optional.of(new AdapterSummary(peftType, base, revision,
                r.canConvertToInt() ? r.asInt() : lora ? PEFT_DEFAULT_R : 0,
                alpha.isNumber() ? alpha.asDouble() : lora ? PEFT_DEFAULT_ALPHA : 0,
                targetModules(config.path("target_modules")), parameters));
    }

    private static Optional<String> text(JsonNode config, String key) {
        JsonNode node = config.path(key);
        return node.isTextual() && !node.asText().isBlank() ? Optional.of(node.asText()) : Optional.empty();
    }

    private static List<String> targetModules(JsonNode node) {
        if (node.isTextual()) {
            return List.of(node.asText());
        }
        List<String> out = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(n -> {
                if (n.isTextual()) {
                    out.add(n.asText());
                }
            });
        }
        return out.stream().sorted().toList();
    }
}
