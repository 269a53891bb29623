package org.dplstm.privacy.noise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class NoiseAheadTest {

    @Test
    void buffersAreTheSourceStreamInOrderScaledByStddev() {
        // An identically seeded source drawn directly, one step after the other, is the reference.
        double[] expected = new double[3 * 1000];
        SecureGaussianNoise.seededForTesting(5).addTo(expected, 2.0);
        try (NoiseAhead<double[]> ahead = NoiseAhead.doubles(SecureGaussianNoise.seededForTesting(5), 1000, 2.0)) {
            for (int step = 0; step < 3; step++) {
                double[] drawn = ahead.take();
                assertThat(drawn).hasSize(1000);
                for (int i = 0; i < 1000; i++) {
                    assertThat(drawn[i]).isEqualTo(expected[step * 1000 + i]);
                }
            }
        }
    }

    @Test
    void floatBuffersAreFreshEachStep() {
        float[] expected = new float[2 * 500];
        SecureGaussianNoise.seededForTesting(9).addTo(expected, 0.5);
        try (NoiseAhead<float[]> ahead = NoiseAhead.floats(SecureGaussianNoise.seededForTesting(9), 500, 0.5)) {
            float[] first = ahead.take();
            float[] second = ahead.take();
            assertThat(second).isNotSameAs(first);
            assertThat(first).containsExactly(java.util.Arrays.copyOfRange(expected, 0, 500));
            assertThat(second).containsExactly(java.util.Arrays.copyOfRange(expected, 500, 1000));
        }
    }

    @Test
    void buffersDrawnInSlicesAreTheUnslicedStream() {
        // sizes that end mid-slice, so a short last slice is drawn too
        int size = 2 * NoiseAhead.CHUNK + 123;
        float[] expectedFloats = new float[2 * size];
        SecureGaussianNoise.seededForTesting(4).addTo(expectedFloats, 1.5);
        try (NoiseAhead<float[]> ahead = NoiseAhead.floats(SecureGaussianNoise.seededForTesting(4), size, 1.5)) {
            assertThat(ahead.take()).containsExactly(java.util.Arrays.copyOfRange(expectedFloats, 0, size));
            assertThat(ahead.take()).containsExactly(java.util.Arrays.copyOfRange(expectedFloats, size, 2 * size));
        }
        double[] expectedDoubles = new double[size];
        SecureGaussianNoise.seededForTesting(6).addTo(expectedDoubles, 0.7);
        try (NoiseAhead<double[]> ahead = NoiseAhead.doubles(SecureGaussianNoise.seededForTesting(6), size, 0.7)) {
            assertThat(ahead.take()).containsExactly(expectedDoubles);
        }
    }

    @Test
    void takeAfterCloseFailsAndBadArgumentsAreRejected() {
        NoiseAhead<float[]> ahead = NoiseAhead.floats(SecureGaussianNoise.create(), 10, 1.0);
        ahead.close();
        assertThatThrownBy(ahead::take).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThatThrownBy(() -> NoiseAhead.floats(SecureGaussianNoise.create(), 10, -1.0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("noise stddev must be >= 0, was -1.0");
    }
}
