package dev.quiver.runner.train;

import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.ArrayList;
import java.util.List;

/**
 * AdamW exactly as {@code torch.optim.AdamW} computes it (DJL's Adam scales epsilon differently):
 * decoupled decay {@code p -= lr*wd*p}, then {@code p -= lr/(1-b1^t) * m / (sqrt(v)/sqrt(1-b2^t) + eps)}.
 * Updates run outside any gradient collector, in place, and zero the gradients afterwards.
 */
public final class AdamW {
    private final List<NDArray> params;
    private final List<NDArray> m = new ArrayList<>();
    private final List<NDArray> v = new ArrayList<>();
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double weightDecay;
    private long step;

    public AdamW(List<NDArray> params, double beta1, double beta2, double eps, double weightDecay) {
        this.params = List.copyOf(params);
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        for (NDArray p : params) {
            m.add(p.zerosLike());
            v.add(p.zerosLike());
        }
    }

    public long step() {
        return step;
    }

    /** The first moments (PyTorch's exp_avg), in parameter order; for checkpoints. */
    public List<NDArray> firstMoments() {
        return List.copyOf(m);
    }

    /** The second moments (PyTorch's exp_avg_sq), in parameter order; for checkpoints. */
    public List<NDArray> secondMoments() {
        return List.copyOf(v);
    }

    /** Puts back the state a checkpoint saved: the update count and both moments, in parameter order. */
    public void restore(long step, List<float[]> firstMoments, List<float[]> secondMoments) {
        if (firstMoments.size() != params.size() || secondMoments.size() != params.size()) {
            throw new IllegalArgumentException("optimizer state for " + firstMoments.size() + " parameters, have " + params.size());
        }
        for (int i = 0; i < params.size(); i++) {
            m.get(i).set(firstMoments.get(i));
            v.get(i).set(secondMoments.get(i));
        }
        this.step = step;
    }

    /** Applies one update with learning rate {@code lr} using the accumulated gradients, then zeroes them. */
    public void update(double lr) {
        step++;
        double bc1 = 1 - Math.pow(beta1, step);
        double bc2Sqrt = Math.sqrt(1 - Math.pow(beta2, step));
        for (int i = 0; i < params.size(); i++) {
            NDArray p = params.get(i);
            try (NDArray g = p.getGradient()) {
                if (weightDecay != 0) {
                    p.muli((float) (1 - lr * weightDecay));
                }
                m.get(i).muli((float) beta1).addi(g.mul((float) (1 - beta1)));
                v.get(i).muli((float) beta2).addi(g.square().mul((float) (1 - beta2)));
                NDArray denom = v.get(i).sqrt().div((float) bc2Sqrt).add((float) eps);
                p.subi(m.get(i).div(denom).mul((float) (lr / bc1)));
                JniUtils.zeroGrad((PtNDArray) p);
            }
        }
    }
}
