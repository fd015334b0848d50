package dev.quiver.runner.lora;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.quiver.runner.model.Linear;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Autograd through a LoRA branch against central finite differences, in float64. */
class LoraLayerGradientTest {
    private static final double EPS = 1e-6;

    @Test
    void loraGradientsMatchFiniteDifferencesForLinearAndConv1d() {
        for (boolean conv1d : new boolean[] {false, true}) {
            try (NDManager m = NDManager.newBaseManager()) {
                long in = 5;
                long out = 4;
                int r = 3;
                NDArray w = m.randomNormal(conv1d ? new Shape(in, out) : new Shape(out, in)).toType(DataType.FLOAT64, false);
                Linear linear = new Linear("layer", w, Optional.of(m.randomNormal(new Shape(out)).toType(DataType.FLOAT64, false)), conv1d);
                NDArray a = m.randomNormal(new Shape(r, in)).toType(DataType.FLOAT64, false);
                NDArray b = m.randomNormal(new Shape(out, r)).toType(DataType.FLOAT64, false);
                a.setRequiresGradient(true);
                b.setRequiresGradient(true);
                LoraLayer lora = new LoraLayer(linear, a, b, 16.0 / r, 0.0);
                linear.attach(lora);
                NDArray x = m.randomNormal(new Shape(2, 3, in)).toType(DataType.FLOAT64, false);
                NDArray weights = m.randomNormal(new Shape(2, 3, out)).toType(DataType.FLOAT64, false);

                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    gc.backward(linear.forward(x, true).mul(weights).sum());
                }
                double[] gradA = a.getGradient().toDoubleArray();
                double[] gradB = b.getGradient().toDoubleArray();
                for (int i = 0; i < gradA.length; i++) {
                    assertThat(gradA[i]).as("dL/dA[%d] (conv1d=%s)", i, conv1d)
                            .isCloseTo(finiteDifference(linear, a, i, x, weights), within(1e-6));
                }
                for (int i = 0; i < gradB.length; i++) {
                    assertThat(gradB[i]).as("dL/dB[%d] (conv1d=%s)", i, conv1d)
                            .isCloseTo(finiteDifference(linear, b, i, x, weights), within(1e-6));
                }
                assertThat(gradB).as("B gets a gradient even though it is what multiplies").isNotEqualTo(new double[gradB.length]);
            }
        }
    }

    private static double finiteDifference(Linear linear, NDArray p, int flat, NDArray x, NDArray weights) {
        NDIndex at = index(p.getShape(), flat);
        double orig = p.get(at).getDouble();
        p.set(at, orig + EPS);
        double plus = linear.forward(x, false).mul(weights).sum().getDouble();
        p.set(at, orig - EPS);
        double minus = linear.forward(x, false).mul(weights).sum().getDouble();
        p.set(at, orig);
        return (plus - minus) / (2 * EPS);
    }

    private static NDIndex index(Shape shape, int flat) {
        long cols = shape.get(1);
        return new NDIndex(flat / cols, flat % cols);
    }
}
