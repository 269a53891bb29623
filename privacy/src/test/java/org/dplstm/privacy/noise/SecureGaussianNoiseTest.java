package org.dplstm.privacy.noise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.stat.inference.KolmogorovSmirnovTest;
import org.junit.jupiter.api.Test;

class SecureGaussianNoiseTest {

    private static final int DRAWS = 200_000;

    @Test
    void drawsFollowTheStandardNormal() {
        double[] values = new double[DRAWS];
        SecureGaussianNoise.seededForTesting(42).addTo(values, 1.0);
        double mean = 0;
        for (double v : values) {
            mean += v;
        }
        mean /= DRAWS;
        double variance = 0;
        int beyondThree = 0;
        int beyondR = 0;
        for (double v : values) {
            variance += (v - mean) * (v - mean);
            beyondThree += Math.abs(v) > 3 ? 1 : 0;
            beyondR += Math.abs(v) > 3.442619855899 ? 1 : 0;
        }
        variance /= DRAWS - 1;
        // 5 standard errors: sd(mean) = 1/sqrt(n), sd(variance) = sqrt(2/n).
        assertThat(mean).isCloseTo(0, within(5 / Math.sqrt(DRAWS)));
        assertThat(variance).isCloseTo(1, within(5 * Math.sqrt(2.0 / DRAWS)));
        // P(|Z| > 3) = 0.0026998; P(|Z| > R) = 5.76e-4 comes from the ziggurat's tail sampler.
        assertThat(beyondThree).isCloseTo((int) (0.0026998 * DRAWS), within(5 * (int) Math.sqrt(0.0027 * DRAWS) + 1));
        assertThat(beyondR).isCloseTo((int) (5.7613e-4 * DRAWS), within(5 * (int) Math.sqrt(5.76e-4 * DRAWS) + 1));
        double pValue = new KolmogorovSmirnovTest().kolmogorovSmirnovTest(new NormalDistribution(0, 1), values);
        assertThat(pValue).isGreaterThan(1e-3);
    }

    @Test
    void floatArraysGetScaledNoiseAddedInPlace() {
        float[] values = new float[DRAWS];
        java.util.Arrays.fill(values, 10f);
        SecureGaussianNoise.seededForTesting(7).addTo(values, 2.5);
        double mean = 0;
        double square = 0;
        for (float v : values) {
            mean += v;
            square += (v - 10.0) * (v - 10.0);
        }
        assertThat(mean / DRAWS).isCloseTo(10, within(5 * 2.5 / Math.sqrt(DRAWS)));
        assertThat(Math.sqrt(square / DRAWS)).isCloseTo(2.5, within(0.02));
    }

    @Test
    void seedsReproduceAndSecureInstancesDiffer() {
        double[] a = new double[8];
        double[] b = new double[8];
        SecureGaussianNoise.seededForTesting(1).addTo(a, 1);
        SecureGaussianNoise.seededForTesting(1).addTo(b, 1);
        assertThat(a).containsExactly(b);
        double[] c = new double[8];
        double[] d = new double[8];
        SecureGaussianNoise.create().addTo(c, 1);
        SecureGaussianNoise.create().addTo(d, 1);
        assertThat(c).isNotEqualTo(d);
    }

    @Test
    void uniformBitsAreBalanced() {
        AesCtrRandomBits bits = AesCtrRandomBits.seededForTesting(3);
        long ones = 0;
        int words = 100_000;
        for (int i = 0; i < words; i++) {
            ones += Long.bitCount(bits.nextLong());
        }
        double n = 64.0 * words;
        assertThat(ones).isCloseTo((long) (n / 2), within((long) (5 * Math.sqrt(n / 4))));
    }
}
