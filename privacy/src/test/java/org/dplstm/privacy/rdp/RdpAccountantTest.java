package org.dplstm.privacy.rdp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.dplstm.privacy.ExactReferences;
import org.dplstm.privacy.PrivacyEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RdpAccountantTest {

    private static RdpAccountant oneStep(double q, double sigma) {
        RdpAccountant accountant = new RdpAccountant();
        accountant.compose(new PrivacyEvent.PoissonGaussian(q, sigma, 1));
        return accountant;
    }

    /** log A_alpha = log E_{x ~ N(0, s^2)}[(1 - q + q e^{(2x-1)/(2 s^2)})^alpha] by Simpson's rule in log space. */
    private static double numericalRdp(double q, double sigma, double alpha) {
        int n = 200_000;
        double low = -14 * sigma;
        double high = alpha + 1 + 14 * sigma;
        double h = (high - low) / n;
        double max = Double.NEGATIVE_INFINITY;
        double[] logTerms = new double[n + 1];
        for (int i = 0; i <= n; i++) {
            double x = low + i * h;
            double z = (2 * x - 1) / (2 * sigma * sigma);
            double logRatio = Math.max(Math.log1p(-q), Math.log(q) + z)
                    + Math.log1p(Math.exp(-Math.abs(Math.log1p(-q) - Math.log(q) - z)));
            double weight = (i == 0 || i == n) ? 1 : (i % 2 == 1 ? 4 : 2);
            logTerms[i] = Math.log(weight) - 0.5 * (x / sigma) * (x / sigma) + alpha * logRatio;
            max = Math.max(max, logTerms[i]);
        }
        double sum = 0;
        for (double t : logTerms) {
            sum += Math.exp(t - max);
        }
        double logA = max + Math.log(sum * h / 3 / (sigma * Math.sqrt(2 * Math.PI)));
        return logA / (alpha - 1);
    }

    @ParameterizedTest
    @CsvSource({
        "0.01, 1.0", "0.004266666666666667, 1.1", "0.1, 0.5", "0.5, 2.0", "0.001, 0.3", "0.9, 5.0", "0.01, 100"
    })
    void integerAndFractionalOrdersMatchNumericalIntegration(double q, double sigma) {
        RdpAccountant accountant = oneStep(q, sigma);
        for (double alpha : new double[] {1.5, 2, 3.5, 8, 8.1, 20.5, 32, 63.5}) {
            double expected = numericalRdp(q, sigma, alpha);
            assertThat(accountant.rdp(alpha)).as("alpha=%s", alpha).isCloseTo(expected, within(1e-7 + 1e-6 * expected));
        }
    }

    @Test
    void rdpEqualsClosedFormWhenSampleRateIsOne() {
        for (double sigma : new double[] {0.3, 1, 7, 100}) {
            RdpAccountant exactlyOne = oneStep(1, sigma);
            // Just below 1 the general series runs: it must agree with alpha / (2 sigma^2) too.
            RdpAccountant nearlyOne = oneStep(1 - 1e-12, sigma);
            for (double alpha : new double[] {1.5, 2, 2.5, 10, 10.25, 64}) {
                double closedForm = alpha / (2 * sigma * sigma);
                assertThat(exactlyOne.rdp(alpha)).isCloseTo(closedForm, within(1e-12 * closedForm));
                assertThat(nearlyOne.rdp(alpha)).isCloseTo(closedForm, within(1e-6 * closedForm + 1e-9));
            }
        }
    }

    /** ARCHITECTURE §4, from Google's dp_accounting with its default orders: a finer grid may only be lower. */
    @ParameterizedTest
    @CsvSource({
        "0.004266666666666667, 1.1, 14062, 1e-5, 2.596556",
        "0.01, 1.0, 1000, 1e-5, 2.101367",
        "0.001, 0.8, 10000, 1e-6, 1.703625"
    })
    void matchesReferenceTableAndIsNeverLarger(double q, double sigma, long steps, double delta, double table) {
        RdpAccountant accountant = new RdpAccountant();
        accountant.compose(new PrivacyEvent.PoissonGaussian(q, sigma, steps));
        assertThat(accountant.epsilon(delta)).isLessThanOrEqualTo(table + 1e-6).isGreaterThan(table * 0.995);
        assertThat(accountant.bestOrder(delta)).isBetween(7.0, 9.0);
    }

    /**
     * Degenerate plans (tiny q, loose delta) whose exact epsilon is 0. dp_accounting's
     * compute_epsilon returns 0 at an order where delta^2 > 1 - exp(-RDP) (the KL bound: delta <=
     * sqrt(1 - exp(-KL)) and KL <= RDP at every order); order 2 is on its default grid. The
     * condition is checked here with the closed form at order 2 (Mironov, Talwar and Zhang 2019:
     * A_2 = 1 + q^2 (e^{1/sigma^2} - 1), so RDP_2 = T log A_2), and one step's exact delta at
     * epsilon 0 (the hockey-stick divergence) confirms that 0 is the exact answer.
     */
    @ParameterizedTest
    @CsvSource({"1e-5, 2, 1, 1e-3", "1e-5, 2, 1000, 1e-3", "1e-4, 1, 10000, 0.05", "1e-3, 5, 100, 0.01"})
    void epsilonIsZeroWhenTheKlBoundAlreadyMeetsDelta(double q, double sigma, long steps, double delta) {
        double rdpAtTwo = steps * Math.log1p(q * q * Math.expm1(1 / (sigma * sigma)));
        assertThat(delta * delta).as("the KL rule applies at order 2").isGreaterThan(-Math.expm1(-rdpAtTwo));
        assertThat(ExactReferences.subsampledGaussianDelta(q, sigma, 0)).as("one step's exact delta(0)")
                .isLessThanOrEqualTo(delta);
        assertThat(epsilon(q, sigma, steps, delta)).isZero();
    }

    /** The rule only applies where it holds: one step whose exact delta(0) exceeds delta has epsilon > 0. */
    @ParameterizedTest
    @CsvSource({"0.01, 1, 1e-5", "1e-5, 2, 1e-12", "0.5, 2, 0.05"})
    void epsilonStaysPositiveWhenTheExactEpsilonIs(double q, double sigma, double delta) {
        assertThat(ExactReferences.subsampledGaussianDelta(q, sigma, 0)).isGreaterThan(delta);
        assertThat(epsilon(q, sigma, 1, delta)).isPositive();
    }

    @Test
    void rdpAddsUpUnderComposition() {
        RdpAccountant first = oneStep(0.01, 1.0);
        RdpAccountant second = oneStep(0.05, 2.0);
        RdpAccountant both = new RdpAccountant();
        for (int i = 0; i < 30; i++) {
            both.compose(new PrivacyEvent.PoissonGaussian(0.01, 1.0, 1));
        }
        both.compose(new PrivacyEvent.PoissonGaussian(0.05, 2.0, 70));
        both.compose(new PrivacyEvent.Gaussian(4.0, 2));
        for (double alpha : new double[] {1.5, 4, 12.5, 256}) {
            double expected = 30 * first.rdp(alpha) + 70 * second.rdp(alpha) + 2 * alpha / (2 * 16.0);
            assertThat(both.rdp(alpha)).isCloseTo(expected, within(1e-12 * expected));
        }
        assertThat(both.history()).hasSize(32);
    }

    @Test
    void epsilonGrowsWithStepsAndSampleRateAndShrinksWithNoise() {
        double previous = 0;
        for (long steps : new long[] {1, 10, 100, 1000, 10_000, 100_000}) {
            double eps = epsilon(0.01, 1.0, steps, 1e-5);
            assertThat(eps).isGreaterThan(previous);
            previous = eps;
        }
        previous = 0;
        for (double q : new double[] {1e-4, 1e-3, 0.01, 0.1, 0.5, 1}) {
            double eps = epsilon(q, 1.0, 1000, 1e-5);
            assertThat(eps).isGreaterThan(previous);
            previous = eps;
        }
        previous = Double.POSITIVE_INFINITY;
        for (double sigma : new double[] {0.3, 0.5, 1, 2, 10, 100}) {
            double eps = epsilon(0.01, sigma, 1000, 1e-5);
            assertThat(eps).isLessThan(previous);
            previous = eps;
        }
    }

    @Test
    void staysFiniteOverTheWholeSupportedRange() {
        for (double q : new double[] {1e-5, 0.01, 0.5, 0.99, 1}) {
            for (double sigma : new double[] {0.3, 1, 100}) {
                double oneStep = epsilon(q, sigma, 1, 1e-5);
                double many = epsilon(q, sigma, 10_000_000, 1e-5);
                assertThat(oneStep).as("q=%s sigma=%s", q, sigma).isFinite().isNotNegative();
                assertThat(many).as("q=%s sigma=%s", q, sigma).isFinite().isGreaterThanOrEqualTo(oneStep);
            }
        }
    }

    @Test
    void thresholdDeltaIsSpentFirst() {
        RdpAccountant plain = new RdpAccountant();
        plain.compose(new PrivacyEvent.PoissonGaussian(0.01, 1.0, 1000));
        RdpAccountant withThreshold = new RdpAccountant();
        withThreshold.compose(new PrivacyEvent.PoissonGaussian(0.01, 1.0, 1000));
        withThreshold.compose(new PrivacyEvent.ThresholdDelta(4e-6));
        assertThat(withThreshold.epsilon(1e-5)).isEqualTo(plain.epsilon(6e-6));
        assertThat(withThreshold.delta(2.0)).isCloseTo(plain.delta(2.0) + 4e-6, within(1e-15));
    }

    @Test
    void deltaForEpsilonInvertsEpsilonForDelta() {
        RdpAccountant accountant = new RdpAccountant();
        accountant.compose(new PrivacyEvent.PoissonGaussian(0.02, 1.2, 5000));
        double eps = accountant.epsilon(1e-6);
        assertThat(accountant.delta(eps)).isLessThanOrEqualTo(1e-6 * (1 + 1e-9)).isGreaterThan(0.5e-6);
    }

    private static double epsilon(double q, double sigma, long steps, double delta) {
        RdpAccountant accountant = new RdpAccountant();
        accountant.compose(new PrivacyEvent.PoissonGaussian(q, sigma, steps));
        return accountant.epsilon(delta);
    }
}
