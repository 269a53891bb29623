package org.dplstm.training.mechanism.clip;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.Arrays;
import org.dplstm.training.pergrad.GradientAssertions;

/** A clipper's sums and norms against the per-example loop's, with the bound at the loop's median norm. */
final class ClipAssertions {

    private ClipAssertions() {}

    /** Float32 within 1e-4, float64 within 1e-9, relative to the largest reference entry. */
    static double toleranceFor(DataType type) {
        return type == DataType.FLOAT64 ? 1e-9 : 1e-4;
    }

    /**
     * Runs both clippers at C = the loop's median unit norm (so some units are clipped and some not)
     * and compares norms and every parameter's clipped sum.
     */
    static void assertMatchesLoop(NDManager manager, Clipper fused, LoopClipper loop, ExampleBatch batch,
            double tolerance) {
        try (NDManager scope = manager.newSubManager()) {
            double[] norms = loop.clippedSum(scope, batch, Double.POSITIVE_INFINITY).norms()
                    .toType(DataType.FLOAT64, false).toDoubleArray();
            double[] sorted = norms.clone();
            Arrays.sort(sorted);
            double bound = sorted[sorted.length / 2];
            assertThat(sorted[0]).as("some unit's norm is below the bound").isLessThan(bound);
            ClippedGradients expected = loop.clippedSum(scope, batch, bound);
            ClippedGradients actual = fused.clippedSum(scope, batch, bound);
            assertClose("norms", actual.norms(), expected.norms(), tolerance);
            NDList sums = expected.sums();
            assertThat(actual.sums().size()).isEqualTo(sums.size());
            for (int i = 0; i < sums.size(); i++) {
                assertClose(loop.parameters().names().get(i), actual.sums().get(i), sums.get(i), tolerance);
            }
        }
    }

    /** Same shape; every entry within {@code tolerance} × the largest |expected| entry, which is not 0. */
    static void assertClose(String name, NDArray actual, NDArray expected, double tolerance) {
        assertThat(expected.abs().max().toType(DataType.FLOAT64, false).getDouble())
                .as(name + " is not all zero (the comparison would test nothing)").isGreaterThan(0);
        GradientAssertions.assertClose(name, actual, expected, tolerance);
    }
}
