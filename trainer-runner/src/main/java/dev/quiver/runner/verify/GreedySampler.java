package dev.quiver.runner.verify;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import dev.quiver.runner.data.ExampleEncoder;
import dev.quiver.runner.model.CausalLm;
import java.util.Arrays;

/** A short greedy continuation (no cache: verification samples only a few tokens). */
final class GreedySampler {
    private GreedySampler() {}

    static String sample(CausalLm model, ExampleEncoder encoder, String prompt, int maxNewTokens) {
        long[] ids = encoder.encodeText(prompt);
        int start = ids.length;
        for (int i = 0; i < maxNewTokens; i++) {
            try (NDScope scope = new NDScope()) {
                NDArray logits = model.logits(model.manager().create(ids, new Shape(1, ids.length)), false);
                long next = logits.get(new NDIndex(0, ids.length - 1)).argMax().getLong();
                if (model.config().eosTokenId().isPresent() && next == model.config().eosTokenId().getAsLong()) {
                    break;
                }
                ids = Arrays.copyOf(ids, ids.length + 1);
                ids[ids.length - 1] = next;
            }
        }
        return encoder.decode(Arrays.copyOfRange(ids, start, ids.length));
    }
}
