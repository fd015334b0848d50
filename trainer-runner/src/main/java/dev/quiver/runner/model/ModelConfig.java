package dev.quiver.runner.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quiver.runner.TrainerException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * The parts of a Hugging Face config.json the runner needs, with GPT-2's field names mapped
 * onto the Llama ones ({@code n_embd} is {@code hiddenSize}, {@code n_inner} the MLP width).
 */
public record ModelConfig(
        Architecture architecture,
        int vocabSize,
        int hiddenSize,
        int intermediateSize,
        int layers,
        int heads,
        int kvHeads,
        int headDim,
        double normEps,
        double ropeTheta,
        int maxPositions,
        boolean tieEmbeddings,
        boolean attentionBias,
        OptionalLong bosTokenId,
        OptionalLong eosTokenId) {

    public ModelConfig {
        if (heads <= 0 || kvHeads <= 0 || heads % kvHeads != 0) {
            throw new TrainerException(
                    "config.json: num_attention_heads (" + heads + ") must be a multiple of num_key_value_heads (" + kvHeads + ")");
        }
        if (hiddenSize <= 0 || layers <= 0 || vocabSize <= 0 || intermediateSize <= 0 || headDim <= 0) {
            throw new TrainerException("config.json: sizes must be positive");
        }
        if (headDim % 2 != 0 && architecture.isLlamaFamily()) {
            throw new TrainerException("config.json: rotary embeddings need an even head dimension, got " + headDim);
        }
    }

    /** GPT-2's learned positions end at n_positions: a longer sequence would index past them mid-run. */
    public void requireFits(int maxLength) {
        if (!architecture.isLlamaFamily() && maxLength > maxPositions) {
            throw new TrainerException("max_length " + maxLength + " exceeds the model's n_positions " + maxPositions
                    + "; lower max_length");
        }
    }

    public static ModelConfig read(Path modelDir) {
        Path file = modelDir.resolve("config.json");
        if (!Files.isRegularFile(file)) {
            throw new TrainerException(modelDir + " has no config.json: is it a Hugging Face model folder?");
        }
        try {
            return parse(new ObjectMapper().readTree(file.toFile()));
        } catch (IOException e) {
            throw new TrainerException(file + " is not valid JSON: " + e.getMessage(), e);
        }
    }

    public static ModelConfig parse(JsonNode c) {
        String type = c.path("model_type").asText("");
        Architecture arch =
                Architecture.fromModelType(type)
                        .orElseThrow(() -> new TrainerException(
                                "config.json: model_type '" + type + "' is not supported (llama, mistral, qwen2, gpt2)"));
        List<String> missing = new ArrayList<>();
        if (arch == Architecture.GPT2) {
            int hidden = required(c, "n_embd", missing);
            int heads = required(c, "n_head", missing);
            int layers = required(c, "n_layer", missing);
            int vocab = required(c, "vocab_size", missing);
            reportMissing(missing);
            int inner = c.path("n_inner").isNumber() ? c.get("n_inner").asInt() : 4 * hidden;
            return new ModelConfig(arch, vocab, hidden, inner, layers, heads, heads, hidden / heads,
                    c.path("layer_norm_epsilon").asDouble(1e-5), 0, c.path("n_positions").asInt(1024),
                    c.path("tie_word_embeddings").asBoolean(true), true, tokenId(c, "bos_token_id"),
                    tokenId(c, "eos_token_id"));
        }
        int hidden = required(c, "hidden_size", missing);
        int heads = required(c, "num_attention_heads", missing);
        int layers = required(c, "num_hidden_layers", missing);
        int vocab = required(c, "vocab_size", missing);
        int inter = required(c, "intermediate_size", missing);
        reportMissing(missing);
        int kv = c.path("num_key_value_heads").asInt(heads);
        int headDim = c.path("head_dim").isNumber() ? c.get("head_dim").asInt() : hidden / heads;
        // Qwen2 always has q/k/v biases; Llama has them only with attention_bias.
        boolean bias = arch == Architecture.QWEN2 || c.path("attention_bias").asBoolean(false);
        return new ModelConfig(arch, vocab, hidden, inter, layers, heads, kv, headDim,
                c.path("rms_norm_eps").asDouble(1e-6), c.path("rope_theta").asDouble(10000.0),
                c.path("max_position_embeddings").asInt(2048), c.path("tie_word_embeddings").asBoolean(false),
                bias, tokenId(c, "bos_token_id"), tokenId(c, "eos_token_id"));
    }

    private static int required(JsonNode c, String field, List<String> missing) {
        JsonNode n = c.get(field);
        if (n == null || !n.canConvertToInt()) {
            missing.add(field);
            return 1;
        }
        return n.asInt();
    }

    private static void reportMissing(List<String> missing) {
        if (!missing.isEmpty()) {
            throw new TrainerException("config.json: missing or non-integer fields " + missing);
        }
    }

    private static OptionalLong tokenId(JsonNode c, String field) {
        JsonNode n = c.get(field);
        return n != null && n.canConvertToLong() ? OptionalLong.of(n.asLong()) : OptionalLong.empty();
    }
}
