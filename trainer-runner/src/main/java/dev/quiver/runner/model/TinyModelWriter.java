package dev.quiver.runner.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.quiver.runner.TrainerException;
import dev.quiver.schema.safetensors.Dtype;
import dev.quiver.schema.safetensors.SafetensorsWriter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Writes a complete, small Hugging Face model folder with deterministic random weights
 * (N(0, 1/hidden) matrices, unit norms, zero biases, drawn from {@code seed} in name order) and the
 * byte-level tokenizer: config.json, model.safetensors, tokenizer.json, tokenizer_config.json,
 * generation_config.json.
 */
public final class TinyModelWriter {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** Sizes of the model to write. */
    public record Spec(Architecture arch, int layers, int hidden, int heads, int kvHeads, long seed) {
        public Spec {
            if (layers <= 0 || hidden <= 0 || heads <= 0 || kvHeads <= 0 || hidden % heads != 0 || heads % kvHeads != 0) {
                throw new TrainerException("tiny model: need hidden divisible by heads, and heads by kv-heads");
            }
            if (arch == Architecture.GPT2 && kvHeads != heads) {
                throw new TrainerException("tiny model: GPT-2 has no grouped-query attention (kv-heads must equal heads)");
            }
        }
    }

    private TinyModelWriter() {}

    public static void write(Path dir, Spec s) throws IOException {
        Files.createDirectories(dir);
        Map<String, long[]> shapes = new LinkedHashMap<>();
        Map<String, Object> config = s.arch() == Architecture.GPT2 ? gpt2(s, shapes) : llama(s, shapes);
        SplittableRandom random = new SplittableRandom(s.seed());
        // transformers' 0.02 would leave a frozen random output head able to express logits of about
        // +-1 only, so no adapter could fit anything; 1/sqrt(hidden) gives the head a usable range.
        double std = 1 / Math.sqrt(s.hidden());
        SafetensorsWriter writer = new SafetensorsWriter();
        shapes.keySet().stream().sorted().forEach(name -> {
            long[] shape = shapes.get(name);
            int n = (int) java.util.Arrays.stream(shape).reduce(1, (a, b) -> a * b);
            ByteBuffer buf = ByteBuffer.allocate(n * 4).order(ByteOrder.LITTLE_ENDIAN);
            boolean norm = name.contains("norm") || name.contains("ln_");
            for (int i = 0; i < n; i++) {
                float v = shape.length == 1 ? (norm && name.endsWith("weight") ? 1f : 0f) : (float) (random.nextGaussian() * std);
                buf.putFloat(v);
            }
            buf.flip();
            writer.add(name, Dtype.F32, shape, buf);
        });
        writer.write(dir.resolve("model.safetensors"));
        JSON.writeValue(dir.resolve("config.json").toFile(), config);
        JSON.writeValue(dir.resolve("tokenizer.json").toFile(), ByteLevelTokenizer.tokenizerJson());
        JSON.writeValue(dir.resolve("tokenizer_config.json").toFile(), ByteLevelTokenizer.tokenizerConfig());
        JSON.writeValue(dir.resolve("generation_config.json").toFile(),
                Map.of("bos_token_id", 256, "eos_token_id", 256, "pad_token_id", 256, "do_sample", false));
    }

    private static Map<String, Object> llama(Spec s, Map<String, long[]> shapes) {
        long h = s.hidden();
        long hd = h / s.heads();
        long inter = ((h * 8 / 3) + 7) / 8 * 8;
        long v = ByteLevelTokenizer.VOCAB;
        shapes.put("model.embed_tokens.weight", new long[] {v, h});
        shapes.put("model.norm.weight", new long[] {h});
        shapes.put("lm_head.weight", new long[] {v, h});
        for (int i = 0; i < s.layers(); i++) {
            String p = "model.layers." + i + ".";
            shapes.put(p + "input_layernorm.weight", new long[] {h});
            shapes.put(p + "post_attention_layernorm.weight", new long[] {h});
            shapes.put(p + "self_attn.q_proj.weight", new long[] {s.heads() * hd, h});
            shapes.put(p + "self_attn.k_proj.weight", new long[] {s.kvHeads() * hd, h});
            shapes.put(p + "self_attn.v_proj.weight", new long[] {s.kvHeads() * hd, h});
            shapes.put(p + "self_attn.o_proj.weight", new long[] {h, s.heads() * hd});
            shapes.put(p + "mlp.gate_proj.weight", new long[] {inter, h});
            shapes.put(p + "mlp.up_proj.weight", new long[] {inter, h});
            shapes.put(p + "mlp.down_proj.weight", new long[] {h, inter});
        }
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("architectures", List.of("LlamaForCausalLM"));
        c.put("model_type", "llama");
        c.put("vocab_size", v);
        c.put("hidden_size", h);
        c.put("intermediate_size", inter);
        c.put("num_hidden_layers", s.layers());
        c.put("num_attention_heads", s.heads());
        c.put("num_key_value_heads", s.kvHeads());
        c.put("hidden_act", "silu");
        c.put("max_position_embeddings", 1024);
        c.put("rms_norm_eps", 1e-6);
        c.put("rope_theta", 10000.0);
        c.put("attention_bias", false);
        c.put("tie_word_embeddings", false);
        c.put("bos_token_id", 256);
        c.put("eos_token_id", 256);
        c.put("torch_dtype", "float32");
        return c;
    }

    private static Map<String, Object> gpt2(Spec s, Map<String, long[]> shapes) {
        long h = s.hidden();
        long v = ByteLevelTokenizer.VOCAB;
        int positions = 1024;
        shapes.put("transformer.wte.weight", new long[] {v, h});
        shapes.put("transformer.wpe.weight", new long[] {positions, h});
        shapes.put("transformer.ln_f.weight", new long[] {h});
        shapes.put("transformer.ln_f.bias", new long[] {h});
        for (int i = 0; i < s.layers(); i++) {
            String p = "transformer.h." + i + ".";
            for (String ln : List.of("ln_1", "ln_2")) {
                shapes.put(p + ln + ".weight", new long[] {h});
                shapes.put(p + ln + ".bias", new long[] {h});
            }
            conv(shapes, p + "attn.c_attn", h, 3 * h);
            conv(shapes, p + "attn.c_proj", h, h);
            conv(shapes, p + "mlp.c_fc", h, 4 * h);
            conv(shapes, p + "mlp.c_proj", 4 * h, h);
        }
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("architectures", List.of("GPT2LMHeadModel"));
        c.put("model_type", "gpt2");
        c.put("vocab_size", v);
        c.put("n_embd", h);
        c.put("n_layer", s.layers());
        c.put("n_head", s.heads());
        c.put("n_positions", positions);
        c.put("n_inner", null);
        c.put("activation_function", "gelu_new");
        c.put("layer_norm_epsilon", 1e-5);
        c.put("tie_word_embeddings", true);
        c.put("bos_token_id", 256);
        c.put("eos_token_id", 256);
        c.put("torch_dtype", "float32");
        return c;
    }

    private static void conv(Map<String, long[]> shapes, String path, long in, long out) {
        shapes.put(path + ".weight", new long[] {in, out});
        shapes.put(path + ".bias", new long[] {out});
    }
}
