package dev.quiver.runner.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.function.BinaryOperator;

/**
 * Arithmetic with a constant, for code that runs while gradients are recorded. DJL's overloads that
 * take a {@code Number} wrap it in a tensor over Java memory and close that tensor at once, but
 * autograd keeps it for the backward pass of mul, div and pow: once the garbage collector has freed
 * that memory the backward pass reads whatever took its place (NaN or inf gradients at random steps,
 * more often on a busy machine). A constant the engine allocates ({@code full}) is freed only when
 * autograd lets go of it too.
 */
public final class Scalars {
    private Scalars() {
    }

    public static NDArray mul(NDArray x, double c) {
        return with(x, c, NDArray::mul);
    }

    public static NDArray div(NDArray x, double c) {
        return with(x, c, NDArray::div);
    }

    public static NDArray add(NDArray x, double c) {
        return with(x, c, NDArray::add);
    }

    public static NDArray pow(NDArray x, double c) {
        return with(x, c, NDArray::pow);
    }

    private static NDArray with(NDArray x, double c, BinaryOperator<NDArray> op) {
        try (NDArray k = constant(x, c)) {
            return op.apply(x, k);
        }
    }

    private static NDArray constant(NDArray like, double c) {
        return like.getManager().full(new Shape(), (float) c, like.getDataType());
    }
}
