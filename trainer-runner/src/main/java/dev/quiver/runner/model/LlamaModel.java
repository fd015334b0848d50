package dev.quiver.runner.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Activation;
import java.util.ArrayList;
import java.util.List;

/**
 * The Llama family (Llama, Mistral, Qwen2): RMSNorm, rotary positions with {@code rope_theta},
 * grouped-query attention, a SwiGLU MLP, optional q/k/v biases, tied or separate output head.
 */
public final class LlamaModel extends CausalLm {
    private record Layer(RmsNorm inputNorm, Linear q, Linear k, Linear v, Linear o, RmsNorm postNorm,
            Linear gate, Linear up, Linear down) {}

    private final NDArray embedTokens;
    private final List<Layer> layers = new ArrayList<>();
    private final RmsNorm norm;
    private final NDArray lmHead;

    LlamaModel(ModelConfig c, ModelWeights w, NDManager manager) {
        super(c, manager);
        long h = c.hiddenSize();
        long qOut = (long) c.heads() * c.headDim();
        long kvOut = (long) c.kvHeads() * c.headDim();
        embedTokens = weight(w, "model.embed_tokens.weight", c.vocabSize(), h);
        for (int i = 0; i < c.layers(); i++) {
            String p = "model.layers." + i + ".";
            layers.add(new Layer(
                    new RmsNorm(weight(w, p + "input_layernorm.weight", h), c.normEps()),
                    linear(w, p + "self_attn.q_proj", h, qOut, c.attentionBias(), false),
                    linear(w, p + "self_attn.k_proj", h, kvOut, c.attentionBias(), false),
                    linear(w, p + "self_attn.v_proj", h, kvOut, c.attentionBias(), false),
                    linear(w, p + "self_attn.o_proj", qOut, h, false, false),
                    new RmsNorm(weight(w, p + "post_attention_layernorm.weight", h), c.normEps()),
                    linear(w, p + "mlp.gate_proj", h, c.intermediateSize(), false, false),
                    linear(w, p + "mlp.up_proj", h, c.intermediateSize(), false, false),
                    linear(w, p + "mlp.down_proj", c.intermediateSize(), h, false, false)));
        }
        norm = new RmsNorm(weight(w, "model.norm.weight", h), c.normEps());
        lmHead = c.tieEmbeddings() ? embedTokens : weight(w, "lm_head.weight", c.vocabSize(), h);
    }

    @Override
    public NDArray logits(NDArray ids, boolean training) {
        NDArray x = embed(embedTokens, ids);
        NDArray[] rope = tables.rotary(ids.getShape().get(1));
        for (Layer l : layers) {
            x = x.add(attention(l, l.inputNorm().forward(x), rope, training));
            NDArray m = l.postNorm().forward(x);
            NDArray gate = l.gate().forward(m, training);
            x = x.add(l.down().forward(gate.mul(Activation.sigmoid(gate)).mul(l.up().forward(m, training)), training));
        }
        x = norm.forward(x);
        return x.getNDArrayInternal().linear(x, lmHead, null).singletonOrThrow();
    }

    private NDArray attention(Layer l, NDArray x, NDArray[] rope, boolean training) {
        long b = x.getShape().get(0);
        long t = x.getShape().get(1);
        int hd = config.headDim();
        NDArray q = l.q().forward(x, training).reshape(b, t, config.heads(), hd).transpose(0, 2, 1, 3);
        NDArray k = l.k().forward(x, training).reshape(b, t, config.kvHeads(), hd).transpose(0, 2, 1, 3);
        NDArray v = l.v().forward(x, training).reshape(b, t, config.kvHeads(), hd).transpose(0, 2, 1, 3);
        q = rotate(q, rope);
        k = rotate(k, rope);
        int groups = config.heads() / config.kvHeads();
        if (groups > 1) {
            // Query head h reads key/value head h / groups, as transformers' repeat_kv arranges them.
            k = k.repeat(1, groups);
            v = v.repeat(1, groups);
        }
        return l.o().forward(attend(q, k, v), training);
    }

    private static NDArray rotate(NDArray x, NDArray[] rope) {
        NDList halves = x.split(2, x.getShape().dimension() - 1);
        NDArray rotated = halves.get(1).neg().concat(halves.get(0), x.getShape().dimension() - 1);
        return x.mul(rope[0]).add(rotated.mul(rope[1]));
    }
}
