package org.dplstm.audit.empirical;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.junit.jupiter.api.Test;

class CanaryExposureTest {

    static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }

    @Test
    void exactExposureIsLog2SpaceMinusLog2Rank() {
        double[] others = {1, 2, 3, 4, 5, 6, 7};
        assertThat(CanaryExposure.exact(0.5, others)).isEqualTo(3.0); // rank 1 of 8
        assertThat(CanaryExposure.exact(4.5, others)).isCloseTo(3 - log2(5), within(1e-12)); // rank 5
        assertThat(CanaryExposure.exact(9, others)).isCloseTo(0.0, within(1e-12)); // rank 8
        assertThat(CanaryExposure.exact(4, others)).isCloseTo(3 - log2(4), within(1e-12)); // tie counts for the secret
    }

    @Test
    void normalExtrapolationRecoversAKnownTail() {
        Random random = new Random(11);
        double[] sample = new double[20000];
        for (int i = 0; i < sample.length; i++) {
            sample[i] = 10 + 2 * random.nextGaussian();
        }
        double secret = 10 - 2 * 4; // P = Φ(−4) = 3.167e-5, exposure 14.95 bits
        double expected = -log2(new NormalDistribution().cumulativeProbability(-4));
        assertThat(CanaryExposure.extrapolatedNormal(secret, sample, 40)).isCloseTo(expected, within(0.3));
        assertThat(CanaryExposure.extrapolated(secret, sample, 40)).isCloseTo(expected, within(0.5));
        assertThat(CanaryExposure.extrapolatedNormal(secret, sample, 10)).isEqualTo(10.0); // capped at log2|R|
    }

    @Test
    void owensTMatchesItsClosedForms() {
        assertThat(SkewNormal.owensT(0, 3)).isCloseTo(Math.atan(3) / (2 * Math.PI), within(1e-10));
        NormalDistribution phi = new NormalDistribution();
        for (double h : new double[] {0.3, 1.0, 2.5}) {
            double p = phi.cumulativeProbability(h);
            assertThat(SkewNormal.owensT(h, 1)).isCloseTo(p * (1 - p) / 2, within(1e-10));
        }
    }

    @Test
    void skewNormalCdfMatchesNumericalIntegrationOfItsDensity() {
        SkewNormal sn = new SkewNormal(1.0, 2.0, 4.0);
        NormalDistribution phi = new NormalDistribution();
        for (double x : new double[] {-1, 0.5, 1, 3, 6}) {
            // ∫_{-∞}^{x} 2/ω φ(z) Φ(αz) dt, Simpson from ξ − 12ω.
            double a = 1.0 - 24;
            int n = 200000;
            double h = (x - a) / n;
            double sum = 0;
            for (int i = 0; i <= n; i++) {
                double z = (a + i * h - 1.0) / 2.0;
                double f = 2 / 2.0 * phi.density(z) * phi.cumulativeProbability(4 * z);
                sum += (i == 0 || i == n ? 1 : i % 2 == 1 ? 4 : 2) * f;
            }
            assertThat(sn.cumulativeProbability(x)).isCloseTo(sum * h / 3, within(1e-7));
        }
    }

    @Test
    void skewNormalFitRecoversParametersOfASkewedSample() {
        Random random = new Random(3);
        double shape = 3.0;
        double delta = shape / Math.sqrt(1 + shape * shape);
        double[] sample = new double[50000];
        for (int i = 0; i < sample.length; i++) {
            // Azzalini's construction: ξ + ω (δ|U0| + √(1−δ²) U1).
            sample[i] = 5 + 1.5 * (delta * Math.abs(random.nextGaussian()) + Math.sqrt(1 - delta * delta) * random.nextGaussian());
        }
        SkewNormal fit = SkewNormal.fit(sample);
        assertThat(fit.location()).isCloseTo(5, within(0.1));
        assertThat(fit.scale()).isCloseTo(1.5, within(0.1));
        assertThat(fit.shape()).isCloseTo(shape, within(1.0));
    }
}
