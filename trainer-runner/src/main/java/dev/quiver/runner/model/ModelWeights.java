package dev.quiver.runner.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quiver.runner.TrainerException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeSet;

/**
 * The base model's tensors, loaded from {@code model.safetensors} or from the shards that
 * {@code model.safetensors.index.json} lists. Blocks take their weights by Hugging Face name, with
 * the shape config.json implies checked, so a mismatched file fails with the tensor's name.
 */
public final class ModelWeights implements AutoCloseable {
    private final Map<String, NDArray> tensors;

    private ModelWeights(Map<String, NDArray> tensors) {
        this.tensors = tensors;
    }

    public static ModelWeights load(Path modelDir, NDManager manager) {
        Path single = modelDir.resolve("model.safetensors");
        Path index = modelDir.resolve("model.safetensors.index.json");
        Map<String, NDArray> all = new HashMap<>();
        if (Files.isRegularFile(single)) {
            all.putAll(SafetensorsArrays.read(single, manager));
        } else if (Files.isRegularFile(index)) {
            for (String shard : shards(index)) {
                Path file = modelDir.resolve(shard).normalize();
                if (!file.startsWith(modelDir.normalize())) {
                    throw new TrainerException(index + " names a shard outside the model folder: " + shard);
                }
                if (!Files.isRegularFile(file)) {
                    throw new TrainerException(index + " names " + shard + ", which is missing");
                }
                all.putAll(SafetensorsArrays.read(file, manager));
            }
        } else {
            throw new TrainerException(modelDir + " has neither model.safetensors nor model.safetensors.index.json");
        }
        return new ModelWeights(all);
    }

    private static TreeSet<String> shards(Path index) {
        try {
            JsonNode map = new ObjectMapper().readTree(index.toFile()).path("weight_map");
            if (!map.isObject() || map.isEmpty()) {
                throw new TrainerException(index + " has no weight_map");
            }
            TreeSet<String> files = new TreeSet<>();
            for (Iterator<JsonNode> it = map.elements(); it.hasNext(); ) {
                files.add(it.next().asText());
            }
            return files;
        } catch (IOException e) {
            throw new TrainerException(index + " is not valid JSON: " + e.getMessage(), e);
        }
    }

    /** Takes a tensor out of the store (ownership passes to the caller), checking its shape. */
    public NDArray take(String name, long... shape) {
        NDArray t = tensors.remove(name);
        if (t == null) {
            // Checkpoints saved from GPT2Model (as the original gpt2 ones are) lack the "transformer." prefix.
            t = name.startsWith("transformer.") ? tensors.remove(name.substring("transformer.".length())) : null;
        }
        if (t == null) {
            throw new TrainerException("the model weights have no tensor " + name
                    + "; they are incomplete or belong to another model than config.json describes");
        }
        if (!t.getShape().equals(new Shape(shape))) {
            Shape actual = t.getShape();
            t.close();
            throw new TrainerException("tensor " + name + " has shape " + actual + " but config.json implies " + new Shape(shape)
                    + "; config.json and the weights belong to different models");
        }
        long bad = nonFinite(t);
        if (bad > 0) {
            t.close();
            // NaN or infinity in a frozen weight poisons every forward pass; training would only fail later, less clearly.
            throw new TrainerException("the base model's tensor " + name + " holds " + bad + " NaN or infinite values;"
                    + " the weights are damaged: download the model again or use another revision");
        }
        return t;
    }

    private static long nonFinite(NDArray t) {
        try (NDArray nan = t.isNaN();
                NDArray inf = t.isInfinite();
                NDArray bad = nan.logicalOr(inf);
                NDArray count = bad.countNonzero()) {
            return count.getLong();
        }
    }

    public boolean has(String name) {
        return tensors.containsKey(name);
    }

    /** Frees what no block took (unused buffers such as GPT-2's stored attention masks). */
    @Override
    public void close() {
        tensors.values().forEach(NDArray::close);
        tensors.clear();
    }
}
