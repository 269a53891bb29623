package org.dplstm.audit.empirical;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class OneRunAuditTest {

    static double logit(double p) {
        return Math.log(p / (1 - p));
    }

    @Test
    void allGuessesRightGivesTheClosedFormLogitOfBetaToTheOneOverR() {
        // δ = 0 and v = r: p(ε) = q^r, so the bound is q = β^(1/r), ε = logit(q).
        for (int r : new int[] {5, 10, 40}) {
            double bound = OneRunAudit.epsilonLowerBound(new OneRunAudit.Guesses(1000, r, r), 0, 0.05);
            assertThat(bound).isCloseTo(logit(Math.pow(0.05, 1.0 / r)), within(1e-5));
        }
        // r = 10: logit(0.05^0.1) = 1.0519...
        assertThat(OneRunAudit.epsilonLowerBound(new OneRunAudit.Guesses(100, 10, 10), 0, 0.05)).isCloseTo(1.05190, within(1e-4));
    }

    @Test
    void oneWrongGuessMatchesTheExactBinomialTail() {
        // v = r − 1: P[Bin(r,q) ≥ r−1] = q^r + r q^(r−1) (1−q), solved here by its own bisection.
        int r = 20;
        double lo = 0.5;
        double hi = 1;
        for (int i = 0; i < 200; i++) {
            double q = (lo + hi) / 2;
            double tail = Math.pow(q, r) + r * Math.pow(q, r - 1) * (1 - q);
            if (tail < 0.05) {
                lo = q;
            } else {
                hi = q;
            }
        }
        double bound = OneRunAudit.epsilonLowerBound(new OneRunAudit.Guesses(200, r, r - 1), 0, 0.05);
        assertThat(bound).isCloseTo(logit(lo), within(1e-5));
    }

    @Test
    void pValueAtZeroEpsilonIsTheFairCoinTail() {
        // P[Bin(10, 1/2) ≥ 8] = (45 + 10 + 1) / 1024.
        assertThat(OneRunAudit.pValue(10, 10, 8, 0, 0)).isCloseTo(56.0 / 1024, within(1e-12));
    }

    @Test
    void chanceLevelGuessingGivesNoBoundAndDeltaOnlyLowersIt() {
        assertThat(OneRunAudit.epsilonLowerBound(new OneRunAudit.Guesses(1000, 100, 50), 0, 0.05)).isZero();
        OneRunAudit.Guesses strong = new OneRunAudit.Guesses(1000, 100, 90);
        double pure = OneRunAudit.epsilonLowerBound(strong, 0, 0.05);
        assertThat(pure).isGreaterThan(1.0);
        assertThat(OneRunAudit.epsilonLowerBound(strong, 1e-5, 0.05)).isLessThanOrEqualTo(pure).isGreaterThan(0);
    }

    @Test
    void guessesTakeTheTopAndBottomScores() {
        double[] scores = {0.9, 0.1, 0.8, 0.2, 0.5};
        boolean[] included = {true, false, false, false, true};
        OneRunAudit.Guesses g = OneRunAudit.guess(scores, included, 2, 2);
        // In: 0.9 (right), 0.8 (wrong); out: 0.1 (right), 0.2 (right).
        assertThat(g).isEqualTo(new OneRunAudit.Guesses(5, 4, 3));
    }
}
