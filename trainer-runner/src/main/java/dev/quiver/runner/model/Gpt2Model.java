package dev.quiver.runner.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import java.util.ArrayList;
import java.util.List;

/**
 * GPT-2: learned positions, LayerNorm, Conv1D projections (weights stored [in, out]), the
 * tanh-approximated GELU ("gelu_new") and an output head tied to the token embeddings.
 */
public final class Gpt2Model extends CausalLm {
    private record Layer(LayerNorm ln1, Linear cAttn, Linear attnProj, LayerNorm ln2, Linear cFc, Linear mlpProj) {}

    private static final float GELU_C = (float) Math.sqrt(2.0 / Math.PI);
    private final NDArray wte;
    private final NDArray wpe;
    private final List<Layer> layers = new ArrayList<>();
    private final LayerNorm lnF;

    Gpt2Model(ModelConfig c, ModelWeights w, NDManager manager) {
        super(c, manager);
        long h = c.hiddenSize();
        long inner = c.intermediateSize();
        wte = weight(w, "transformer.wte.weight", c.vocabSize(), h);
        wpe = weight(w, "transformer.wpe.weight", c.maxPositions(), h);
        for (int i = 0; i < c.layers(); i++) {
            String p = "transformer.h." + i + ".";
            layers.add(new Layer(
                    norm(w, p + "ln_1", h, c.normEps()),
                    linear(w, p + "attn.c_attn", h, 3 * h, true, true),
                    linear(w, p + "attn.c_proj", h, h, true, true),
                    norm(w, p + "ln_2", h, c.normEps()),
                    linear(w, p + "mlp.c_fc", h, inner, true, true),
                    linear(w, p + "mlp.c_proj", inner, h, true, true)));
        }
        lnF = norm(w, "transformer.ln_f", h, c.normEps());
    }

    private LayerNorm norm(ModelWeights w, String path, long h, double eps) {
        return new LayerNorm(weight(w, path + ".weight", h), weight(w, path + ".bias", h), eps);
    }

    @Override
    public NDArray logits(NDArray ids, boolean training) {
        long b = ids.getShape().get(0);
        long t = ids.getShape().get(1);
        if (t > config.maxPositions()) {
            throw new IllegalArgumentException("sequence of " + t + " tokens exceeds n_positions " + config.maxPositions());
        }
        NDArray x = embed(wte, ids).add(wpe.get(new NDIndex(":{}", t)));
        long h = config.hiddenSize();
        int hd = config.headDim();
        for (Layer l : layers) {
            NDList qkv = l.cAttn().forward(l.ln1().forward(x), training).split(3, 2);
            NDArray q = qkv.get(0).reshape(b, t, config.heads(), hd).transpose(0, 2, 1, 3);
            NDArray k = qkv.get(1).reshape(b, t, config.heads(), hd).transpose(0, 2, 1, 3);
            NDArray v = qkv.get(2).reshape(b, t, config.heads(), hd).transpose(0, 2, 1, 3);
            x = x.add(l.attnProj().forward(attend(q, k, v), training));
            NDArray m = l.cFc().forward(l.ln2().forward(x), training);
            x = x.add(l.mlpProj().forward(geluNew(m), training));
        }
        x = lnF.forward(x);
        return x.getNDArrayInternal().linear(x, wte, null).singletonOrThrow().reshape(b, t, config.vocabSize());
    }

    /** transformers' "gelu_new": 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))). */
    private static NDArray geluNew(NDArray x) {
        NDArray inner = Scalars.mul(x.add(Scalars.mul(Scalars.pow(x, 3), 0.044715f)), GELU_C);
        return Scalars.mul(x.mul(Scalars.add(inner.tanh(), 1)), 0.5);
    }
}
