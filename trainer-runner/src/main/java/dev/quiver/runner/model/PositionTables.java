package dev.quiver.runner.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import java.util.HashMap;
import java.util.Map;

/**
 * Per-sequence-length tables every layer shares: the additive causal mask and, for rotary
 * models, the cos/sin tables. Built once per length on the model's manager and kept out of the
 * per-step scopes, so a training step allocates none of them.
 */
final class PositionTables implements AutoCloseable {
    private final NDManager manager;
    private final int headDim;
    private final double ropeTheta;
    private final Map<Long, NDArray> masks = new HashMap<>();
    private final Map<Long, NDArray[]> rotary = new HashMap<>();

    PositionTables(NDManager manager, int headDim, double ropeTheta) {
        this.manager = manager;
        this.headDim = headDim;
        this.ropeTheta = ropeTheta;
    }

    /** [T, T] with 0 on and below the diagonal and -inf above it. */
    synchronized NDArray causalMask(long t) {
        return masks.computeIfAbsent(t, n -> {
            float[] m = new float[(int) (n * n)];
            for (int i = 0; i < n; i++) {
                for (int j = i + 1; j < n; j++) {
                    m[(int) (i * n + j)] = Float.NEGATIVE_INFINITY;
                }
            }
            return keep(manager.create(m, new Shape(n, n)));
        });
    }

    /** {cos, sin}, each [T, headDim], as transformers' rotary embedding computes them (halves repeated). */
    synchronized NDArray[] rotary(long t) {
        return rotary.computeIfAbsent(t, n -> {
            int half = headDim / 2;
            float[] cos = new float[(int) (n * headDim)];
            float[] sin = new float[cos.length];
            for (int pos = 0; pos < n; pos++) {
                for (int i = 0; i < half; i++) {
                    // inv_freq in float32, as transformers computes it, then the angle in float32
                    float invFreq = (float) (1.0 / Math.pow(ropeTheta, (float) (2 * i) / headDim));
                    float angle = (float) pos * invFreq;
                    int at = pos * headDim + i;
                    cos[at] = cos[at + half] = (float) Math.cos(angle);
                    sin[at] = sin[at + half] = (float) Math.sin(angle);
                }
            }
            return new NDArray[] {
                keep(manager.create(cos, new Shape(n, headDim))), keep(manager.create(sin, new Shape(n, headDim)))
            };
        });
    }

    private static NDArray keep(NDArray a) {
        NDScope.unregister(a);
        return a;
    }

    @Override
    public synchronized void close() {
        masks.values().forEach(NDArray::close);
        rotary.values().forEach(p -> {
            p[0].close();
            p[1].close();
        });
        masks.clear();
        rotary.clear();
    }
}
