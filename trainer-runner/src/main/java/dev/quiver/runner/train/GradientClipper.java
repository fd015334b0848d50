package dev.quiver.runner.train;

import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * Global-norm clipping as {@code torch.nn.utils.clip_grad_norm_}: the norm over all gradients
 * together; when above {@code maxNorm} every gradient is scaled by {@code maxNorm / (norm + 1e-6)}.
 * (DJL's clipGrad clamps each value instead.)
 */
public final class GradientClipper {
    private GradientClipper() {}

    /** Clips in place and returns the norm before clipping. */
    public static double clip(List<NDArray> params, double maxNorm) {
        double sumSquares = 0;
        for (NDArray p : params) {
            try (NDArray g = p.getGradient(); NDArray sq = g.square().sum()) {
                sumSquares += sq.toType(ai.djl.ndarray.types.DataType.FLOAT64, false).getDouble();
            }
        }
        double norm = Math.sqrt(sumSquares);
        double coef = maxNorm / (norm + 1e-6);
        if (maxNorm > 0 && coef < 1) {
            for (NDArray p : params) {
                try (NDArray g = p.getGradient()) {
                    g.muli((float) coef);
                }
            }
        }
        return norm;
    }
}
