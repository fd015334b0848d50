package dev.quiver.runner.train;

import ai.djl.ndarray.NDScope;
import dev.quiver.runner.data.TokenizedExample;
import dev.quiver.runner.model.CausalLm;
import java.util.List;

/** Mean cross-entropy per trained token over a set of examples, without gradients or dropout. */
public final class Evaluator {
    private Evaluator() {}

    /** NaN when there are no eval examples. */
    public static double loss(CausalLm model, List<TokenizedExample> examples, int batchSize) {
        double sum = 0;
        long tokens = 0;
        for (int i = 0; i < examples.size(); i += batchSize) {
            try (NDScope scope = new NDScope()) {
                Batch b = Batch.of(examples.subList(i, Math.min(examples.size(), i + batchSize)), 0, model.manager());
                sum += b.lossSum(model.logits(b.ids(), false)).getFloat();
                tokens += b.trainedTokens();
            }
        }
        return tokens == 0 ? Double.NaN : sum / tokens;
    }
}
