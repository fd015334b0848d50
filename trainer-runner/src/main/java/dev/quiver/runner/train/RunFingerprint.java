package dev.quiver.runner.train;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quiver.runner.data.TokenizedExample;
import dev.quiver.runner.data.TrainingData;
import dev.quiver.runner.lora.LoraAdapter;
import dev.quiver.runner.lora.LoraLayer;
import dev.quiver.runner.model.CausalLm;
import dev.quiver.schema.json.Json;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * What makes two training runs the same run: the base model's shape, the adapter's layout and
 * settings, the optimisation settings and a hash of the tokenized examples. A checkpoint records it
 * and resuming compares it, so a checkpoint never silently continues a different run.
 */
public final class RunFingerprint {
    private static final ObjectMapper JSON = Json.mapper();

    private RunFingerprint() {}

    public static JsonNode of(CausalLm model, LoraAdapter adapter, TrainingData data, TrainingSettings s, int maxLength) {
        ObjectNode run = JSON.createObjectNode();
        run.put("model", model.config().toString());
        ObjectNode lora = run.putObject("lora");
        lora.put("r", adapter.spec().r());
        lora.put("alpha", adapter.spec().alpha());
        lora.put("dropout", adapter.spec().dropout());
        lora.put("use_rslora", adapter.spec().useRslora());
        lora.set("modules", JSON.valueToTree(adapter.layers().stream().map(LoraLayer::modulePath).toList()));
        ObjectNode training = run.putObject("training");
        training.put("epochs", s.epochs());
        training.put("max_steps", s.maxSteps().isPresent() ? s.maxSteps().getAsInt() : 0);
        training.put("learning_rate", s.learningRate());
        training.put("batch_size", s.batchSize());
        training.put("gradient_accumulation", s.gradientAccumulation());
        training.put("weight_decay", s.weightDecay());
        training.put("warmup_ratio", s.warmupRatio());
        training.put("schedule", s.schedule().name());
        training.put("max_grad_norm", s.maxGradNorm());
        training.put("seed", s.seed());
        training.put("max_length", maxLength);
        ObjectNode examples = run.putObject("data");
        examples.put("train_examples", data.train().size());
        examples.put("eval_examples", data.eval().size());
        examples.put("sha256", hash(data));
        // Through text and back, so the node types are those a checkpoint read from disk has.
        try {
            return JSON.readTree(JSON.writeValueAsString(run));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** "section.key: X in the checkpoint, Y now" for every setting that differs. */
    static List<String> differences(JsonNode saved, JsonNode now) {
        List<String> out = new ArrayList<>();
        TreeSet<String> sections = names(saved);
        sections.addAll(names(now));
        for (String section : sections) {
            JsonNode a = saved.path(section);
            JsonNode b = now.path(section);
            if (a.isObject() && b.isObject()) {
                TreeSet<String> keys = names(a);
                keys.addAll(names(b));
                keys.stream().filter(k -> !Objects.equals(a.get(k), b.get(k)))
                        .forEach(k -> out.add(section + "." + k + ": " + a.get(k) + " in the checkpoint, " + b.get(k) + " now"));
            } else if (!Objects.equals(saved.get(section), now.get(section))) {
                out.add(section + ": " + saved.get(section) + " in the checkpoint, " + now.get(section) + " now");
            }
        }
        return out;
    }

    private static TreeSet<String> names(JsonNode node) {
        TreeSet<String> names = new TreeSet<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }

    private static String hash(TrainingData data) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (List<TokenizedExample> part : List.of(data.train(), data.eval())) {
                sha.update(ByteBuffer.allocate(4).putInt(part.size()).array());
                for (TokenizedExample e : part) {
                    ByteBuffer b = ByteBuffer.allocate(8 + 8 * e.ids().length).putInt(e.promptTokens()).putInt(e.ids().length);
                    for (long id : e.ids()) {
                        b.putLong(id);
                    }
                    sha.update(b.array());
                }
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
