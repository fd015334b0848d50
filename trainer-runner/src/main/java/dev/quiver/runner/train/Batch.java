package dev.quiver.runner.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.quiver.runner.data.TokenizedExample;
import java.util.List;

/**
 * Right-padded token ids [B, T] with next-token targets [B, T] and loss weights [B, T]: weight 1
 * where position t predicts a completion token t+1, 0 for prompt, padding and the last position.
 */
public record Batch(NDArray ids, NDArray targets, NDArray weights, long trainedTokens, long tokens) {

    public static Batch of(List<TokenizedExample> examples, long padId, NDManager manager) {
        int b = examples.size();
        int t = examples.stream().mapToInt(TokenizedExample::length).max().orElseThrow();
        long[] ids = new long[b * t];
        long[] targets = new long[b * t];
        float[] weights = new float[b * t];
        long trained = 0;
        long tokens = 0;
        for (int i = 0; i < b; i++) {
            TokenizedExample e = examples.get(i);
            long[] x = e.ids();
            tokens += x.length;
            for (int j = 0; j < t; j++) {
                ids[i * t + j] = j < x.length ? x[j] : padId;
                if (j + 1 < x.length) {
                    targets[i * t + j] = x[j + 1];
                    if (j + 1 >= e.promptTokens()) {
                        weights[i * t + j] = 1;
                        trained++;
                    }
                }
            }
        }
        return new Batch(manager.create(ids, new Shape(b, t)), manager.create(targets, new Shape(b, t)),
                manager.create(weights, new Shape(b, t)), trained, tokens);
    }

    /** Summed cross-entropy over weighted positions (divide by {@link #trainedTokens} for the mean). */
    public NDArray lossSum(NDArray logits) {
        NDArray logp = logits.logSoftmax(2);
        NDArray picked = logp.gather(targets.expandDims(2), 2).squeeze(2);
        return picked.mul(weights).sum().neg();
    }
}
