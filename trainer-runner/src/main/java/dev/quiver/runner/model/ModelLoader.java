package dev.quiver.runner.model;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import java.nio.file.Path;

/** Builds a {@link CausalLm} from a Hugging Face model folder (config.json + safetensors weights). */
public final class ModelLoader {
    private ModelLoader() {}

    /** Loads onto the engine's default device: the first GPU when there is one, else the CPU. */
    public static CausalLm load(Path modelDir) {
        return load(modelDir, Engine.getInstance().defaultDevice());
    }

    public static CausalLm load(Path modelDir, Device device) {
        ModelConfig config = ModelConfig.read(modelDir);
        NDManager manager = NDManager.newBaseManager(device);
        try (ModelWeights weights = ModelWeights.load(modelDir, manager)) {
            return switch (config.architecture()) {
                case LLAMA, MISTRAL, QWEN2 -> new LlamaModel(config, weights, manager);
                case GPT2 -> new Gpt2Model(config, weights, manager);
            };
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }
}
