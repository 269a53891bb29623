package org.dplstm.privacy.pld;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.dplstm.privacy.ExactReferences;
import org.dplstm.privacy.PrivacyAccountant;
import org.dplstm.privacy.PrivacyEvent;
import org.dplstm.privacy.rdp.RdpAccountant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PldAccountantTest {

    private static PldAccountant pld(PrivacyEvent... events) {
        PldAccountant accountant = new PldAccountant();
        for (PrivacyEvent event : events) {
            accountant.compose(event);
        }
        return accountant;
    }

    @ParameterizedTest
    @CsvSource({"0.5, 1e-5", "1.0, 1e-5", "2.0, 1e-6", "5.0, 1e-5", "20.0, 1e-8"})
    void singleGaussianMatchesBalleWangAndIsNeverOptimistic(double sigma, double delta) {
        double exact = ExactReferences.gaussianEpsilon(sigma, delta);
        double eps = pld(new PrivacyEvent.Gaussian(sigma, 1)).epsilon(delta);
        assertThat(eps).isGreaterThanOrEqualTo(exact).isLessThanOrEqualTo(exact * 1.01);
        // The exact mechanism's delta at the reported epsilon is within the budget.
        assertThat(ExactReferences.gaussianDelta(sigma, eps)).isLessThanOrEqualTo(delta);
    }

    @ParameterizedTest
    @CsvSource({"1.0, 10", "2.0, 1000", "10.0, 100000", "50.0, 1000000"})
    void composedGaussiansMatchOneGaussianWithSigmaOverRootK(double sigma, long k) {
        double exact = ExactReferences.gaussianEpsilon(sigma / Math.sqrt(k), 1e-5);
        double viaGaussian = pld(new PrivacyEvent.Gaussian(sigma, k)).epsilon(1e-5);
        double viaFullBatches = pld(new PrivacyEvent.PoissonGaussian(1.0, sigma, k)).epsilon(1e-5);
        assertThat(viaGaussian).isGreaterThanOrEqualTo(exact).isLessThanOrEqualTo(exact * 1.01);
        assertThat(viaFullBatches).isGreaterThanOrEqualTo(exact).isLessThanOrEqualTo(exact * 1.01);
    }

    @Test
    void heterogeneousGaussiansComposeLikeTheirPrecisionsAdd() {
        // N(0, s1^2) and N(0, s2^2) releases compose to a Gaussian with 1/s^2 = 1/s1^2 + 1/s2^2.
        PldAccountant accountant = pld(new PrivacyEvent.Gaussian(3.0, 5), new PrivacyEvent.Gaussian(8.0, 40));
        double sigma = 1 / Math.sqrt(5 / 9.0 + 40 / 64.0);
        double exact = ExactReferences.gaussianEpsilon(sigma, 1e-6);
        assertThat(accountant.epsilon(1e-6)).isGreaterThanOrEqualTo(exact).isLessThanOrEqualTo(exact * 1.01);
    }

    /** ARCHITECTURE §4: Google's dp_accounting PLD (connect-the-dots, interval 1e-5), itself a tight upper bound. */
    @ParameterizedTest
    @CsvSource({
        "0.004266666666666667, 1.1, 14062, 1e-5, 2.381598",
        "0.01, 1.0, 1000, 1e-5, 1.828237",
        "0.001, 0.8, 10000, 1e-6, 0.947197"
    })
    void matchesReferenceTableWithinOnePercent(double q, double sigma, long steps, double delta, double table) {
        double eps = pld(new PrivacyEvent.PoissonGaussian(q, sigma, steps)).epsilon(delta);
        assertThat(eps).isGreaterThanOrEqualTo(table * (1 - 1e-3)).isLessThanOrEqualTo(table * 1.01);
    }

    @ParameterizedTest
    @CsvSource({
        "0.01, 1.0", "0.1, 0.5", "0.5, 1.0", "0.05, 2.0", "0.9, 0.7", "0.001, 0.3", "0.2, 10.0"
    })
    void oneStepIsNeverBelowTheExactHockeyStickDivergence(double q, double sigma) {
        PldAccountant accountant = pld(new PrivacyEvent.PoissonGaussian(q, sigma, 1));
        for (double eps : new double[] {0, 0.01, 0.1, 0.5, 1, 2, 4}) {
            double exact = ExactReferences.subsampledGaussianDelta(q, sigma, eps);
            double delta = accountant.delta(eps);
            assertThat(delta).as("eps=%s", eps).isGreaterThanOrEqualTo(exact * (1 - 1e-9) - 1e-15);
            assertThat(delta).as("eps=%s", eps).isLessThanOrEqualTo(exact * 1.05 + 1e-12);
        }
    }

    @ParameterizedTest
    @CsvSource({"0.1, 1.0", "0.5, 0.8", "0.02, 0.5"})
    void twoStepsAreNeverBelowTheExactTwoStepDivergence(double q, double sigma) {
        PldAccountant accountant = pld(new PrivacyEvent.PoissonGaussian(q, sigma, 2));
        for (double eps : new double[] {0.05, 0.3, 1, 2.5}) {
            double exact = ExactReferences.subsampledGaussianDeltaTwoSteps(q, sigma, eps);
            double delta = accountant.delta(eps);
            assertThat(delta).as("eps=%s", eps).isGreaterThanOrEqualTo(exact * (1 - 1e-7) - 1e-14);
            assertThat(delta).as("eps=%s", eps).isLessThanOrEqualTo(exact * 1.05 + 1e-12);
        }
    }

    @Test
    void isNeverLooserThanRdpAcrossTheRange() {
        for (double q : new double[] {1e-3, 0.01, 0.1, 1}) {
            for (double sigma : new double[] {0.5, 1, 4}) {
                PrivacyEvent event = new PrivacyEvent.PoissonGaussian(q, sigma, 2000);
                RdpAccountant rdp = new RdpAccountant();
                rdp.compose(event);
                double pldEps = pld(event).epsilon(1e-5);
                assertThat(pldEps).as("q=%s sigma=%s", q, sigma)
                        .isLessThanOrEqualTo(rdp.epsilon(1e-5));
            }
        }
    }

    @Test
    void epsilonGrowsWithStepsAndSampleRateAndShrinksWithNoise() {
        double previous = 0;
        for (long steps : new long[] {1, 10, 100, 1000, 10_000}) {
            double eps = pld(new PrivacyEvent.PoissonGaussian(0.01, 1.0, steps)).epsilon(1e-5);
            assertThat(eps).isGreaterThan(previous);
            previous = eps;
        }
        previous = 0;
        for (double q : new double[] {1e-3, 0.01, 0.1, 0.5, 1}) {
            double eps = pld(new PrivacyEvent.PoissonGaussian(q, 1.0, 100)).epsilon(1e-5);
            assertThat(eps).isGreaterThan(previous);
            previous = eps;
        }
        previous = Double.POSITIVE_INFINITY;
        for (double sigma : new double[] {0.3, 0.6, 1, 3, 10, 100}) {
            double eps = pld(new PrivacyEvent.PoissonGaussian(0.01, sigma, 1000)).epsilon(1e-5);
            assertThat(eps).isLessThan(previous);
            previous = eps;
        }
    }

    @Test
    void cornersOfTheRangeStayFiniteBelowRdpAndConsistent() {
        // q=1 is checked against Balle-Wang; for q<1 the corners of the range are checked against
        // RDP (an independent upper bound) and for self-consistency of delta(epsilon(delta)).
        double[][] plans = {{0.3, 1e-4, 100_000}, {100, 0.5, 1_000_000}, {0.3, 0.001, 1000}, {5, 1.0, 10_000_000}};
        for (double[] plan : plans) {
            PrivacyEvent event = new PrivacyEvent.PoissonGaussian(plan[1], plan[0], (long) plan[2]);
            PldAccountant accountant = pld(event);
            RdpAccountant rdp = new RdpAccountant();
            rdp.compose(event);
            double eps = accountant.epsilon(1e-5);
            assertThat(eps).as("%s", event).isFinite().isPositive().isLessThanOrEqualTo(rdp.epsilon(1e-5));
            assertThat(accountant.delta(eps)).as("%s", event).isCloseTo(1e-5, within(1e-8));
        }
        double exact = ExactReferences.gaussianEpsilon(5 / Math.sqrt(10_000_000), 1e-5);
        assertThat(pld(new PrivacyEvent.PoissonGaussian(1, 5, 10_000_000)).epsilon(1e-5))
                .isGreaterThanOrEqualTo(exact).isLessThanOrEqualTo(exact * 1.01);
    }

    /**
     * Noise multipliers below about 0.04 put one step's privacy loss beyond 709 nats, where e^loss
     * overflows a double and the cell masses e^-loss underflow: the accountant must still be exact
     * to its discretisation, never below the exact mechanism. For q = 1 the reference is the exact
     * Gaussian mechanism with sigma / sqrt(steps) (Balle and Wang 2018); for q < 1 it is the exact
     * remove direction of one step, a lower bound on the mechanism's epsilon (exact for one step,
     * as the add direction's loss is at most -log(1-q)). The first three plans once gave 263, 1.67
     * and 709.78 against about 697, 6010 and 5400.
     */
    @ParameterizedTest
    @CsvSource({"1.0, 0.03, 1", "1.0, 0.03, 10", "0.5, 0.01, 1", "1.0, 0.02, 3", "0.9, 0.02, 1"})
    void lossesBeyondWhatDoublesExponentiateAreNeverOptimistic(double q, double sigma, long steps) {
        double delta = 1e-5;
        // q = 1: T Gaussian steps are one with sigma / sqrt(T), exactly. q < 1: one step's remove
        // direction, a lower bound (more steps never lower epsilon), exact for a single step.
        double referenceSigma = q == 1 ? sigma / Math.sqrt(steps) : sigma;
        double reference = ExactReferences.epsilonAt(
                eps -> ExactReferences.subsampledGaussianRemoveDelta(q, referenceSigma, eps), delta);
        assertThat(reference).as("reference").isGreaterThan(690);
        double eps = pld(new PrivacyEvent.PoissonGaussian(q, sigma, steps)).epsilon(delta);
        assertThat(eps).as("q=%s sigma=%s steps=%s", q, sigma, steps).isGreaterThanOrEqualTo(reference);
        if (q == 1 || steps == 1) {
            assertThat(eps).as("q=%s sigma=%s steps=%s", q, sigma, steps).isLessThanOrEqualTo(reference * 1.01);
        }
    }

    @Test
    void theGaussianMechanismWithTinyNoiseMatchesBalleWang() {
        double exact = ExactReferences.gaussianEpsilon(0.03, 1e-5);
        assertThat(exact).isBetween(690.0, 700.0);
        double eps = pld(new PrivacyEvent.Gaussian(0.03, 1)).epsilon(1e-5);
        assertThat(eps).isGreaterThanOrEqualTo(exact).isLessThanOrEqualTo(exact * 1.01);
        assertThat(ExactReferences.gaussianDelta(0.03, eps)).isLessThanOrEqualTo(1e-5);
    }

    /**
     * Too little noise for the grid is bad input: refused before the transform is allocated (its
     * window would be 7e8 points), as an IllegalArgumentException naming the mechanism and what to
     * do, from epsilon and delta alike.
     */
    @Test
    void noiseTooSmallForTheGridIsRefusedNamingTheMechanismAndTheRemedies() {
        PldAccountant accountant = pld(new PrivacyEvent.PoissonGaussian(0.2, 0.12, 1_000_000));
        // refused before the FFT is allocated: PldOutOfMemoryTest runs this history on a heap too small for it
        assertThatThrownBy(() -> accountant.epsilon(1e-5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("the PLD accountant cannot compose sample rate 0.2, noise multiplier 0.12,"
                        + " 1000000 steps: the noise is too small for its privacy-loss grid")
                .hasMessageContaining("larger noise multiplier")
                .hasMessageContaining("--accountant rdp");
        assertThatThrownBy(() -> accountant.delta(1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("noise multiplier 0.12");
    }

    @Test
    void thresholdDeltaIsSpentFirst() {
        PrivacyAccountant plain = pld(new PrivacyEvent.PoissonGaussian(0.01, 1.0, 1000));
        PrivacyAccountant withThreshold = pld(new PrivacyEvent.PoissonGaussian(0.01, 1.0, 1000),
                new PrivacyEvent.ThresholdDelta(4e-6));
        assertThat(withThreshold.epsilon(1e-5)).isEqualTo(plain.epsilon(6e-6));
        assertThat(withThreshold.delta(1.5)).isCloseTo(plain.delta(1.5) + 4e-6, within(1e-15));
        assertThatThrownBy(() -> withThreshold.epsilon(3e-6)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("threshold deltas");
    }

    @Test
    void emptyHistorySpendsNothing() {
        PldAccountant accountant = new PldAccountant();
        assertThat(accountant.epsilon(1e-5)).isZero();
        assertThat(accountant.delta(0)).isZero();
    }

    @Test
    void cachedResultIsRebuiltWhenTheHistoryGrows() {
        PldAccountant accountant = pld(new PrivacyEvent.PoissonGaussian(0.01, 1.0, 500));
        double before = accountant.epsilon(1e-5);
        accountant.compose(new PrivacyEvent.PoissonGaussian(0.01, 1.0, 500));
        double after = accountant.epsilon(1e-5);
        double direct = pld(new PrivacyEvent.PoissonGaussian(0.01, 1.0, 1000)).epsilon(1e-5);
        assertThat(after).isGreaterThan(before).isCloseTo(direct, within(1e-12));
    }
}
