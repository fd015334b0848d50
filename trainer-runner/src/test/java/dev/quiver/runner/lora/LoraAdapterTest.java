package dev.quiver.runner.lora;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import dev.quiver.runner.TrainerException;
import dev.quiver.runner.model.CausalLm;
import dev.quiver.runner.model.ModelLoader;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LoraAdapterTest {
    static final Path FIXTURES = Path.of("src/test/resources/fixtures");
    static final long[] IDS = {1, 17, 42, 5, 63, 8, 30, 2, 9, 9, 50, 11, 3, 60};

    static float[] logits(CausalLm model) {
        try (NDScope scope = new NDScope()) {
            return model.logits(model.manager().create(IDS, new Shape(2, 7)), false).toFloatArray();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tiny-llama", "tiny-gpt2"})
    void freshAdapterLeavesOutputsUnchanged(String fixture) {
        try (CausalLm model = ModelLoader.load(FIXTURES.resolve(fixture))) {
            float[] before = logits(model);
            LoraAdapter adapter = LoraAdapter.create(model, new LoraSpec(4, 8, 0.1, new TargetModules.AllLinear(), false), 7);
            assertThat(adapter.layers()).hasSize(fixture.equals("tiny-llama") ? 14 : 8);
            assertThat(logits(model)).containsExactly(before);
            float bound = (float) (1 / Math.sqrt(16));
            float[] a = adapter.layers().get(0).a().toFloatArray();
            assertThat(maxDiff(a, new float[a.length])).isLessThanOrEqualTo(bound).isGreaterThan(bound / 2);
            assertThat(adapter.layers().get(0).b().toFloatArray()).containsOnly(0f);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tiny-llama", "tiny-gpt2"})
    void mergedEqualsUnmergedAndUnmergeRestoresTheBase(String fixture) {
        try (CausalLm model = ModelLoader.load(FIXTURES.resolve(fixture))) {
            float[] base = logits(model);
            float[] weightBefore = model.linears().values().iterator().next().weight().toFloatArray();
            LoraAdapter adapter = LoraAdapter.create(model, new LoraSpec(4, 16, 0.0, new TargetModules.AllLinear(), true), 3);
            // Seeded: the engine's generator is shared, so unseeded draws would depend on which tests ran before.
            Engine.getInstance().setRandomSeed(11);
            adapter.layers().forEach(l -> l.b().addi(l.b().getManager().randomNormal(0, 0.3f, l.b().getShape(), l.b().getDataType())));
            float[] unmerged = logits(model);
            assertThat(maxDiff(unmerged, base)).as("a non-zero B changes the output").isGreaterThan(1e-3f);
            // fp32 rounding of W + BA*s against Wx + B(Ax)*s reaches a few 1e-5 on logits of this size;
            // a wrong merge (transpose, scaling) is off by 1e-1. 1e-4 is the verifier's tolerance.
            adapter.merge();
            assertThat(maxDiff(logits(model), unmerged)).isLessThan(1e-4f);
            adapter.unmerge();
            assertThat(maxDiff(logits(model), unmerged)).isLessThan(1e-4f);
            float[] weightAfter = model.linears().values().iterator().next().weight().toFloatArray();
            assertThat(maxDiff(weightAfter, weightBefore)).isLessThan(1e-6f);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tiny-llama", "tiny-gpt2"})
    void targetsMatchAsPeftMatchesThem(String fixture) {
        try (CausalLm model = ModelLoader.load(FIXTURES.resolve(fixture))) {
            boolean llama = fixture.equals("tiny-llama");
            List<String> names = LoraAdapter.targets(model, new TargetModules.Names(model.config().architecture().defaultTargets()))
                    .stream().map(l -> l.path()).toList();
            assertThat(names).containsExactlyElementsOf(llama
                    ? List.of("model.layers.0.self_attn.q_proj", "model.layers.0.self_attn.v_proj",
                            "model.layers.1.self_attn.q_proj", "model.layers.1.self_attn.v_proj")
                    : List.of("transformer.h.0.attn.c_attn", "transformer.h.1.attn.c_attn"));
            String regex = llama ? "model\\.layers\\.1\\..*_proj" : "transformer\\.h\\.1\\.mlp\\..*";
            assertThat(LoraAdapter.targets(model, new TargetModules.Regex(regex))).hasSize(llama ? 7 : 2);
            assertThatThrownBy(() -> LoraAdapter.targets(model, new TargetModules.Names(List.of("proj"))))
                    .isInstanceOf(TrainerException.class).hasMessageContaining("matches no module");
        }
    }

    static float maxDiff(float[] x, float[] y) {
        float d = 0;
        for (int i = 0; i < x.length; i++) {
            d = Math.max(d, Math.abs(x[i] - y[i]));
        }
        return d;
    }
}
