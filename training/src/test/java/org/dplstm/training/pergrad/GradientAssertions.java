package org.dplstm.training.pergrad;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import org.dplstm.training.mechanism.clip.ClippedGradients;
import org.dplstm.training.model.Batch;
import org.dplstm.training.model.DifferentiableModel;
import org.dplstm.training.model.LstmStackModel;
import org.dplstm.training.recurrent.GateGradientMethod;

/** Fused per-example gradients against a reference computed another way, for either kind of model. */
public final class GradientAssertions {

    private static final double TOLERANCE = 1e-5;

    private GradientAssertions() {}

    /** Same norms and, parameter by parameter, the same clipped sums as {@code reference}. */
    static void assertClippedGradientsClose(
            GateGradientMethod method, DifferentiableModel model, ClippedGradients fused, ClippedGradients reference) {
        assertClippedGradientsClose(method.toString(), model, fused, reference, TOLERANCE);
    }

    /** As above, within {@code tolerance} of the largest reference element of each array. */
    static void assertClippedGradientsClose(String label, DifferentiableModel model, ClippedGradients fused,
            ClippedGradients reference, double tolerance) {
        assertClose(label + " norms", fused.norms(), reference.norms(), tolerance);
        for (int i = 0; i < reference.sums().size(); i++) {
            assertClose(label + " " + model.parameterNames().get(i), fused.sums().get(i), reference.sums().get(i),
                    tolerance);
        }
    }

    /** With nothing clipped, every method's fused sum is the engine's plain gradient of the batch. */
    static void assertUnclippedSumsArePlainGradient(NDManager scope, LstmStackModel model, Batch batch) {
        NDList plain = model.gradientSum(scope, batch, null);
        for (GateGradientMethod method : GateGradientMethod.values()) {
            ClippedGradients fused = FusedPerExampleGradients.of(model, method)
                    .clippedGradientSum(scope, batch, Double.POSITIVE_INFINITY);
            assertSumsClose(method, model, fused.sums(), plain);
        }
    }

    /** Parameter by parameter, the same sums as {@code reference}. */
    static void assertSumsClose(GateGradientMethod method, DifferentiableModel model, NDList sums, NDList reference) {
        for (int i = 0; i < reference.size(); i++) {
            assertClose(method + " " + model.parameterNames().get(i), sums.get(i), reference.get(i));
        }
    }

    /** Equal shapes and every element within a relative tolerance of the largest reference element. */
    static void assertClose(String name, NDArray actual, NDArray expected) {
        assertClose(name, actual, expected, TOLERANCE);
    }

    /** As above with the given relative tolerance. */
    public static void assertClose(String name, NDArray actual, NDArray expected, double tolerance) {
        assertThat(actual.getShape()).as(name + " shape").isEqualTo(expected.getShape());
        double[] a = actual.toType(DataType.FLOAT64, false).toDoubleArray();
        double[] e = expected.toType(DataType.FLOAT64, false).toDoubleArray();
        double scale = 0;
        for (double v : e) {
            scale = Math.max(scale, Math.abs(v));
        }
        // an all-zero reference (W_hh when every sequence has one token) must be matched exactly
        double allowed = scale == 0 ? 1e-12 : tolerance * scale;
        for (int i = 0; i < e.length; i++) {
            assertThat(Math.abs(a[i] - e[i]))
                    .as("%s[%d]: fused %s vs loop %s", name, i, a[i], e[i])
                    .isLessThanOrEqualTo(allowed);
        }
    }
}
