package org.dplstm.privacy.rdp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.function.DoubleUnaryOperator;
import org.apache.commons.math3.special.Gamma;
import org.dplstm.privacy.PrivacyEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Private tuning (Papernot and Steinke 2022) against references written in this test: the
 * distribution's pmf from Gamma functions, Theorem 2 evaluated by hand for the Gaussian mechanism,
 * and the exact Rényi divergence of "best of K" for a small discrete mechanism.
 */
class TunedRdpTest {

    /** P[K = k] of D_{η,γ} written from Definition 1 with Gamma functions (η > 0), or the logarithmic pmf (η = 0). */
    private static double referencePmf(double eta, double gamma, int k) {
        if (eta == 0) {
            return Math.pow(1 - gamma, k) / (k * Math.log(1 / gamma));
        }
        // prod_{l<k} (l+η)/(l+1) = Γ(k+η) / (Γ(η) k!)
        double logProduct = Gamma.logGamma(k + eta) - Gamma.logGamma(eta) - Gamma.logGamma(k + 1.0);
        return Math.exp(k * Math.log(1 - gamma) + logProduct) / (Math.pow(gamma, -eta) - 1);
    }

    @ParameterizedTest
    @CsvSource({"0, 1.5", "0, 4", "1, 2", "1, 10", "0.5, 3", "2, 5", "3, 1.2"})
    void meanMatchesTheNumericSumOfThePmfAndTheMeanAskedFor(double eta, double mean) {
        TruncatedNegativeBinomial distribution = TruncatedNegativeBinomial.withMean(eta, mean);
        double total = 0;
        double sum = 0;
        for (int k = 1; k < 3_000; k++) {
            double p = referencePmf(eta, distribution.gamma(), k);
            assertThat(distribution.probability(k)).as("P[K=%d]", k).isCloseTo(p, within(1e-12 + 1e-9 * p));
            total += p;
            sum += k * p;
        }
        assertThat(total).isCloseTo(1, within(1e-9));
        assertThat(sum).isCloseTo(distribution.mean(), within(1e-8 * mean));
        assertThat(distribution.mean()).isCloseTo(mean, within(1e-9 * mean));
    }

    @Test
    void geometricAndOneTrialAreTheirClosedForms() {
        TruncatedNegativeBinomial geometric = TruncatedNegativeBinomial.withMean(1, 4);
        assertThat(geometric.gamma()).isEqualTo(0.25);
        assertThat(geometric.probability(3)).isCloseTo(0.25 * 0.75 * 0.75, within(1e-15));
        TruncatedNegativeBinomial once = TruncatedNegativeBinomial.withMean(0, 1);
        assertThat(once.probability(1)).isEqualTo(1);
        assertThat(once.probability(2)).isZero();
        assertThatThrownBy(() -> TruncatedNegativeBinomial.withMean(1, 0.5))
                .hasMessage("mean must be >= 1, was 0.5");
        assertThatThrownBy(() -> TruncatedNegativeBinomial.of(-0.5, 0.5)).hasMessage("eta must be >= 0, was -0.5");
    }

    /**
     * Theorem 2 for the Gaussian mechanism with σ = 2 (RDP λ/8), η = 1, E[K] = 10 (γ = 0.1):
     * min over λ̂ of (λ̂ - 1)/8 + log(10)/λ̂ is at λ̂ = sqrt(8 log 10), so
     * ε'(λ) = λ/8 + 2 (2 sqrt(log(10)/8) - 1/8) + log(10)/(λ - 1).
     */
    @Test
    void theoremTwoByHandForTheGaussianMechanism() {
        TunedRdp tuned = TunedRdp.of(List.of(new PrivacyEvent.Gaussian(2, 1)), TruncatedNegativeBinomial.withMean(1, 10));
        double exactSelection = 2 * (2 * Math.sqrt(Math.log(10) / 8) - 1.0 / 8);
        // The grid's minimum is at least the exact one and close to it (grid step 0.05 near 4.29).
        assertThat(tuned.selectionCost()).isBetween(exactSelection, exactSelection + 1e-3);
        for (double lambda : new double[] {2, 5, 10, 32}) {
            double byHand = lambda / 8 + exactSelection + Math.log(10) / (lambda - 1);
            assertThat(tuned.rdp(lambda)).as("order %s", lambda).isBetween(byHand, byHand + 1e-3);
        }
        // (ε, δ) by the same conversion, minimised here on a fine grid of orders.
        double delta = 1e-5;
        double best = Double.POSITIVE_INFINITY;
        for (double lambda = 1.01; lambda < 300; lambda += 0.001) {
            double rdp = lambda / 8 + exactSelection + Math.log(10) / (lambda - 1);
            best = Math.min(best, rdp + Math.log1p(-1 / lambda) - (Math.log(delta) + Math.log(lambda)) / (lambda - 1));
        }
        assertThat(tuned.epsilon(delta)).isBetween(best - 1e-9, best + 5e-3);
    }

    @Test
    void theoremTwoByHandForTheLogarithmicDistribution() {
        // η = 0, γ = 0.2: ε'(λ) = λ/8 + min_λ̂ ((λ̂-1)/8 + log 5/λ̂) + log(E[K])/(λ-1), E[K] = 4/log 5.
        TunedRdp tuned = TunedRdp.of(List.of(new PrivacyEvent.Gaussian(2, 1)), TruncatedNegativeBinomial.of(0, 0.2));
        double exactSelection = 2 * Math.sqrt(Math.log(5) / 8) - 1.0 / 8;
        double meanK = 4 / Math.log(5);
        double byHand = 6.0 / 8 + exactSelection + Math.log(meanK) / 5;
        assertThat(tuned.rdp(6)).isBetween(byHand, byHand + 1e-3);
    }

    // ---- exact check: best of K runs of a discrete mechanism ----

    /** Q on the two neighbouring inputs: a score in {0, 1, 2, 3}. */
    private static final double[] SCORES_ON_D = {0.4, 0.3, 0.2, 0.1};
    private static final double[] SCORES_ON_D_PRIME = {0.25, 0.3, 0.25, 0.2};

    /** D_λ(P || Q) of two distributions on the same finite set. */
    private static double renyi(double[] p, double[] q, double lambda) {
        double sum = 0;
        for (int i = 0; i < p.length; i++) {
            sum += Math.pow(p[i], lambda) * Math.pow(q[i], 1 - lambda);
        }
        return Math.log(sum) / (lambda - 1);
    }

    private static double symmetricRenyi(double[] p, double[] q, double lambda) {
        return Math.max(renyi(p, q, lambda), renyi(q, p, lambda));
    }

    /** The distribution of max(Y_1 .. Y_K): P[max <= y] = G_K(F(y)) with G_K(s) = sum_k P[K=k] s^k. */
    private static double[] bestOfK(double[] scores, double eta, double gamma) {
        double[] out = new double[scores.length];
        double cdf = 0;
        double previous = 0;
        for (int y = 0; y < scores.length; y++) {
            cdf += scores[y];
            double generating = 0;
            for (int k = 1; k < 5_000; k++) {
                generating += referencePmf(eta, gamma, k) * Math.pow(Math.min(1, cdf), k);
            }
            out[y] = generating - previous;
            previous = generating;
        }
        return out;
    }

    @ParameterizedTest
    @CsvSource({"1, 3", "0, 3", "1, 1.5", "2, 8"})
    void boundHoldsForTheExactBestOfKDistribution(double eta, double mean) {
        TruncatedNegativeBinomial trials = TruncatedNegativeBinomial.withMean(eta, mean);
        DoubleUnaryOperator perTrial = lambda -> symmetricRenyi(SCORES_ON_D, SCORES_ON_D_PRIME, lambda);
        TunedRdp tuned = new TunedRdp(perTrial, trials);
        double[] onD = bestOfK(SCORES_ON_D, eta, trials.gamma());
        double[] onDPrime = bestOfK(SCORES_ON_D_PRIME, eta, trials.gamma());
        assertThat(java.util.Arrays.stream(onD).sum()).isCloseTo(1, within(1e-9));
        for (double lambda : new double[] {1.5, 2, 4, 10, 30}) {
            double exact = symmetricRenyi(onD, onDPrime, lambda);
            double bound = tuned.rdp(lambda);
            assertThat(bound).as("order %s: exact %s", lambda, exact).isGreaterThanOrEqualTo(exact);
            if (lambda >= 10) {
                // Not absurdly loose where the log E[K]/(λ-1) term has faded: a few times the exact value,
                assertThat(bound).as("order %s: exact %s", lambda, exact).isLessThan(6 * exact);
                // and for geometric K below Liu and Talwar's pure-DP 3ε (ε = the largest log ratio of Q).
                if (eta == 1) {
                    assertThat(bound).isLessThan(3 * Math.log(0.2 / 0.1));
                }
            }
        }
    }

    @Test
    void tuningCostsMoreThanOneTrialAndLessThanKTrialsComposedForManyTrials() {
        List<PrivacyEvent> trial = List.of(new PrivacyEvent.PoissonGaussian(0.01, 1.0, 1000));
        RdpAccountant one = new RdpAccountant();
        one.composeAll(trial);
        RdpAccountant twenty = new RdpAccountant();
        for (int i = 0; i < 20; i++) {
            twenty.composeAll(trial);
        }
        double tuned = TunedRdp.of(trial, TruncatedNegativeBinomial.withMean(1, 20)).epsilon(1e-5);
        assertThat(tuned).isGreaterThan(one.epsilon(1e-5)).isLessThan(twenty.epsilon(1e-5));
    }

    // ---- the sampler ----

    @ParameterizedTest
    @CsvSource({"1, 2", "1, 1.5", "0, 3", "2, 5"})
    void seededDrawsHaveTheMeanAndAreAtLeastOne(double eta, double mean) {
        TruncatedNegativeBinomial distribution = TruncatedNegativeBinomial.withMean(eta, mean);
        TrialCountSampler sampler = TrialCountSampler.seededForTesting(42);
        int draws = 200_000;
        double sum = 0;
        double sumSquares = 0;
        long ones = 0;
        for (int i = 0; i < draws; i++) {
            long k = sampler.draw(distribution);
            assertThat(k).isGreaterThanOrEqualTo(1);
            sum += k;
            sumSquares += (double) k * k;
            ones += k == 1 ? 1 : 0;
        }
        double empiricalMean = sum / draws;
        double standardError = Math.sqrt((sumSquares / draws - empiricalMean * empiricalMean) / draws);
        assertThat(empiricalMean).isCloseTo(mean, within(5 * standardError));
        double p1 = referencePmf(eta, distribution.gamma(), 1);
        assertThat((double) ones / draws).isCloseTo(p1, within(5 * Math.sqrt(p1 * (1 - p1) / draws)));
    }

    @Test
    void oneTrialWhenTheMeanIsOne() {
        TrialCountSampler sampler = TrialCountSampler.create();
        for (int i = 0; i < 100; i++) {
            assertThat(sampler.draw(TruncatedNegativeBinomial.withMean(1, 1))).isEqualTo(1);
        }
    }

    @Test
    void theRdpAccountantComposesATuningAsTheoremTwoAndThePldAccountantRefusesIt() {
        List<PrivacyEvent> trial = List.of(new PrivacyEvent.Gaussian(2, 1));
        PrivacyEvent.RepeatedSelection tuning = new PrivacyEvent.RepeatedSelection(trial, 1, 0.1);
        RdpAccountant accountant = new RdpAccountant();
        accountant.compose(new PrivacyEvent.Gaussian(4, 1));
        accountant.compose(tuning);
        double exactSelection = 2 * (2 * Math.sqrt(Math.log(10) / 8) - 1.0 / 8);
        double byHand = 5.0 / 32 + 5.0 / 8 + exactSelection + Math.log(10) / 4; // order 5: λ/32 + Theorem 2
        assertThat(accountant.rdp(5)).isBetween(byHand, byHand + 1e-3);
        org.dplstm.privacy.PrivacyAccountant pld = new org.dplstm.privacy.pld.PldAccountant();
        assertThat(pld.supports(tuning)).isFalse();
        assertThatThrownBy(() -> pld.compose(tuning)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("use the rdp accountant");
        assertThatThrownBy(() -> TunedRdp.of(List.of(new PrivacyEvent.ThresholdDelta(1e-6)),
                TruncatedNegativeBinomial.of(1, 0.5))).isInstanceOf(IllegalArgumentException.class);
    }
}
