package dev.quiver.runner.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The DJL blocks against logits that an independent plain-PyTorch transcription of transformers'
 * math computed for the same weights (fixtures/make_reference.py): Llama with grouped-query
 * attention and an untied head, Qwen2 with attention biases, one KV head, tied embeddings and
 * sharded weights, and GPT-2 with Conv1D weights.
 */
class ReferenceLogitsTest {
    static Path fixture(String name) {
        return Path.of("src/test/resources/fixtures", name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"tiny-llama", "tiny-qwen2", "tiny-gpt2"})
    void logitsMatchPlainPytorch(String name) throws Exception {
        JsonNode ref = new ObjectMapper().readTree(fixture(name).resolve("reference.json").toFile());
        JsonNode ids = ref.get("input_ids");
        long[] flatIds = new long[ids.size() * ids.get(0).size()];
        for (int i = 0; i < flatIds.length; i++) {
            flatIds[i] = ids.get(i / ids.get(0).size()).get(i % ids.get(0).size()).asLong();
        }
        float[] expected = new float[ref.get("logits").size()];
        for (int i = 0; i < expected.length; i++) {
            expected[i] = (float) ref.get("logits").get(i).asDouble();
        }
        try (CausalLm model = ModelLoader.load(fixture(name));
                NDScope scope = new NDScope()) {
            NDArray input = model.manager().create(flatIds, new Shape(ids.size(), ids.get(0).size()));
            NDArray logits = model.logits(input, false);
            assertThat(logits.getShape().getShape()).containsExactly(2, 7, 64);
            float[] actual = logits.toFloatArray();
            for (int i = 0; i < expected.length; i++) {
                assertThat(actual[i]).as("logit %d", i).isCloseTo(expected[i], org.assertj.core.data.Offset.offset(2e-5f));
            }
        }
    }
}
