package org.dplstm.training.dpsgd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.dplstm.privacy.noise.SecureGaussianNoise;
import org.dplstm.training.model.TestManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class BulkGradientNoiseTest {

    @RegisterExtension
    final TestManager engine = TestManager.perTest();

    @Test
    void stepsDrawnAheadEqualTheSourceDrawnSynchronouslyInParameterOrder() {
        GradientNoise ahead = GradientNoise.bulk(SecureGaussianNoise.seededForTesting(11));
        // Reference: an identically seeded source, drawn on this thread, step by step and
        // parameter by parameter (what a synchronous per-parameter loop would add).
        SecureGaussianNoise reference = SecureGaussianNoise.seededForTesting(11);
        float[] first = {1f, -2f, 3f, 0.5f, 0f, 7f};
        float[] second = {10f, 20f, 30f, 40f, 50f};
        for (int step = 0; step < 3; step++) {
            try (NDManager scope = engine.manager().newSubManager()) {
                NDList sums = new NDList(scope.create(first, new Shape(2, 3)), scope.create(second));
                NDList noisy = ahead.addToAll(scope, sums, 0.7);
                assertThat(noisy.get(0).getShape()).isEqualTo(new Shape(2, 3));
                assertThat(noisy.get(1).getShape()).isEqualTo(new Shape(5));
                assertThat(noisy.get(0).toFloatArray()).containsExactly(plusNoise(first, reference, 0.7));
                assertThat(noisy.get(1).toFloatArray()).containsExactly(plusNoise(second, reference, 0.7));
            }
        }
    }

    @Test
    void float64SumsGetFloat64NoiseFromTheSameStream() {
        GradientNoise ahead = GradientNoise.bulk(SecureGaussianNoise.seededForTesting(4));
        double[] expected = new double[4];
        SecureGaussianNoise.seededForTesting(4).addTo(expected, 2.0);
        try (NDManager scope = engine.manager().newSubManager()) {
            NDList noisy = ahead.addToAll(scope, new NDList(scope.zeros(new Shape(4), DataType.FLOAT64)), 2.0);
            assertThat(noisy.head().getDataType()).isEqualTo(DataType.FLOAT64);
            assertThat(noisy.head().toDoubleArray()).containsExactly(expected);
        }
    }

    @Test
    void mixedPrecisionSumsAreRejected() {
        GradientNoise ahead = GradientNoise.bulk(SecureGaussianNoise.seededForTesting(1));
        try (NDManager scope = engine.manager().newSubManager()) {
            NDList sums = new NDList(scope.zeros(new Shape(2)), scope.zeros(new Shape(2), DataType.FLOAT64));
            assertThatThrownBy(() -> ahead.addToAll(scope, sums, 1.0))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("gradient sums must all be float32 or all float64, had float32 and float64");
        }
    }

    /** values + float32 noise, added in float32 as the engine adds them. */
    private static float[] plusNoise(float[] values, SecureGaussianNoise source, double stddev) {
        float[] noise = new float[values.length];
        source.addTo(noise, stddev);
        float[] result = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            result[i] = values[i] + noise[i];
        }
        return result;
    }
}
