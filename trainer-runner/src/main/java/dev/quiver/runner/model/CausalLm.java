package dev.quiver.runner.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.Collections;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A decoder-only language model as a DJL block: token ids [B, T] (int64) in, logits [B, T, V] out.
 * Parameters carry their Hugging Face names, and every projection is reachable by module path
 * so LoRA can target it the way PEFT does.
 */
public abstract class CausalLm extends AbstractBlock implements AutoCloseable {
    private static final byte VERSION = 1;
    protected final ModelConfig config;
    protected final NDManager manager;
    protected final PositionTables tables;
    private final SortedMap<String, Linear> linears = new TreeMap<>();

    protected CausalLm(ModelConfig config, NDManager manager) {
        super(VERSION);
        this.config = config;
        this.manager = manager;
        this.tables = new PositionTables(manager, config.headDim(), config.ropeTheta());
    }

    public ModelConfig config() {
        return config;
    }

    /** The manager that owns the model's weights (and the device they live on). */
    public NDManager manager() {
        return manager;
    }

    /** Every projection LoRA may target, by module path (the output head is not among them, as in PEFT). */
    public SortedMap<String, Linear> linears() {
        return Collections.unmodifiableSortedMap(linears);
    }

    /** Computes logits for {@code ids} ([B, T], int64, on the model's device). */
    public abstract NDArray logits(NDArray ids, boolean training);

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(logits(inputs.singletonOrThrow(), training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), inputShapes[0].get(1), config.vocabSize())};
    }

    /** Registers a trainable array (a LoRA matrix) as a parameter of this block. */
    public void addTrainableParameter(String name, NDArray array) {
        register(name, array, true);
    }

    protected NDArray weight(ModelWeights weights, String name, long... shape) {
        return register(name, weights.take(name, shape), false);
    }

    protected Linear linear(ModelWeights weights, String path, long in, long out, boolean bias, boolean conv1d) {
        NDArray w = conv1d ? weight(weights, path + ".weight", in, out) : weight(weights, path + ".weight", out, in);
        Optional<NDArray> b = bias ? Optional.of(weight(weights, path + ".bias", out)) : Optional.empty();
        Linear l = new Linear(path, w, b, conv1d);
        linears.put(path, l);
        return l;
    }

    protected static NDArray embed(NDArray table, NDArray ids) {
        return ids.getNDArrayInternal().embedding(ids, table, SparseFormat.DENSE).singletonOrThrow();
    }

    /** Causal scaled dot-product attention over [B, heads, T, hd] inputs; returns [B, T, heads*hd]. */
    protected NDArray attend(NDArray q, NDArray k, NDArray v) {
        long b = q.getShape().get(0);
        long t = q.getShape().get(2);
        NDArray scores = Scalars.div(q.matMul(k.transpose(0, 1, 3, 2)), Math.sqrt(q.getShape().get(3)));
        NDArray probs = scores.add(tables.causalMask(t)).softmax(-1);
        return probs.matMul(v).transpose(0, 2, 1, 3).reshape(b, t, -1);
    }

    private NDArray register(String name, NDArray array, boolean trainable) {
        Parameter p = Parameter.builder().setName(name).setType(Parameter.Type.WEIGHT).optRequiresGrad(trainable).build();
        p.setArray(array);
        addParameter(p);
        if (trainable) {
            array.setRequiresGradient(true);
        }
        return array;
    }

    @Override
    public void close() {
        tables.close();
        manager.close();
    }
}
