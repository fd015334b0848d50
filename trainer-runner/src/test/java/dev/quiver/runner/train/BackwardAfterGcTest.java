package dev.quiver.runner.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.training.GradientCollector;
import dev.quiver.runner.TestModels;
import dev.quiver.runner.data.TokenizedExample;
import dev.quiver.runner.lora.LoraAdapter;
import dev.quiver.runner.lora.LoraSpec;
import dev.quiver.runner.lora.TargetModules;
import dev.quiver.runner.model.Architecture;
import dev.quiver.runner.model.CausalLm;
import dev.quiver.runner.model.ModelLoader;
import dev.quiver.runner.model.Scalars;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The backward pass reads what the forward pass left for it even when the garbage collector ran in
 * between. The forward pass multiplies by constants (attention scale, LoRA scaling, GELU's
 * coefficients, the loss's mean); a constant whose memory Java owns and frees on collection gave
 * gradients of inf or NaN at random steps, more often on a busy machine.
 */
class BackwardAfterGcTest {
    @TempDir static Path dir;

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void gradientsAreTheSameWithACollectionBeforeTheBackwardPass(Architecture arch) throws Exception {
        Path base = TestModels.tiny(dir.resolve(arch.name()), arch, 32, 4, arch == Architecture.LLAMA ? 2 : 4);
        try (CausalLm model = ModelLoader.load(base)) {
            LoraAdapter adapter = LoraAdapter.create(model, new LoraSpec(4, 8, 0.0,
                    new TargetModules.AllLinear(), false), 3);
            List<TokenizedExample> examples = examples();
            float[][] quiet = gradients(model, adapter, examples, false);
            for (int run = 0; run < 3; run++) {
                float[][] collected = gradients(model, adapter, examples, true);
                for (int i = 0; i < quiet.length; i++) {
                    assertThat(collected[i]).as("%s: gradient of parameter %d, run %d", arch, i, run).containsExactly(quiet[i]);
                }
            }
        }
    }

    private static float[][] gradients(CausalLm model, LoraAdapter adapter, List<TokenizedExample> examples,
            boolean collectBeforeBackward) throws InterruptedException {
        List<NDArray> params = adapter.trainable();
        try (ai.djl.ndarray.NDScope scope = new ai.djl.ndarray.NDScope()) {
            Batch batch = Batch.of(examples, 0, model.manager());
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray loss = Scalars.div(batch.lossSum(model.logits(batch.ids(), true)), batch.trainedTokens());
                if (collectBeforeBackward) {
                    collectGarbage();
                }
                gc.backward(loss);
            }
            float[][] grads = new float[params.size()][];
            for (int i = 0; i < params.size(); i++) {
                try (NDArray g = params.get(i).getGradient()) {
                    grads[i] = g.toFloatArray();
                }
                ai.djl.pytorch.jni.JniUtils.zeroGrad((ai.djl.pytorch.engine.PtNDArray) params.get(i));
            }
            return grads;
        }
    }

    /** Collects until direct buffers that became unreachable have been freed. */
    private static void collectGarbage() throws InterruptedException {
        BufferPoolMXBean direct = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
                .filter(p -> p.getName().equals("direct")).findFirst().orElseThrow();
        long before = direct.getCount();
        for (int i = 0; i < 20 && direct.getCount() >= before; i++) {
            System.gc();
            Thread.sleep(20);
        }
        // what was freed is handed out again, as on a busy machine
        List<java.nio.ByteBuffer> reuse = new ArrayList<>();
        for (int i = 0; i < 256; i++) {
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocateDirect(4 + i % 8);
            while (b.hasRemaining()) {
                b.put((byte) 0x7f);
            }
            reuse.add(b);
        }
    }

    private static List<TokenizedExample> examples() {
        SplittableRandom r = new SplittableRandom(5);
        List<TokenizedExample> out = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            long[] ids = new long[12 + i];
            for (int j = 0; j < ids.length; j++) {
                ids[j] = 1 + r.nextInt(200);
            }
            out.add(new TokenizedExample(ids, 4));
        }
        return out;
    }
}
