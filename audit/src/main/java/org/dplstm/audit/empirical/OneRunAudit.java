package org.dplstm.audit.empirical;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;
import org.apache.commons.math3.distribution.BinomialDistribution;

/**
 * Auditing with one training run (Steinke, Nasr, Jagielski 2023): m canaries are each included
 * with probability 1/2; the auditor guesses membership for r of them (abstaining on the rest) and
 * gets v right. Under (ε, δ)-DP the number of correct guesses is dominated by Binomial(r,
 * e^ε/(1+e^ε)) up to a δ term (their Theorem 3.1 / Proposition 5.2):
 * p(ε) = P[Bin(r, q) ≥ v] + 2mδ · max_{1≤i≤v} P[v−i ≤ Bin(r, q) < v] / i. Every ε with
 * p(ε) < β is rejected; the lower bound is the largest rejected ε (95% confidence for β = 0.05).
 * Choose the numbers of guesses before looking at the outcome: picking the best of many choices
 * afterwards voids the confidence level.
 */
public final class OneRunAudit {

    private OneRunAudit() {}

    /** Guesses from scores: v correct out of r. */
    public record Guesses(int canaries, int guesses, int correct) {}

    /**
     * Guesses "included" for the {@code positiveGuesses} highest scores and "excluded" for the
     * {@code negativeGuesses} lowest (higher score = more likely included), abstaining otherwise.
     */
    public static Guesses guess(double[] scores, boolean[] included, int positiveGuesses, int negativeGuesses) {
        if (scores.length != included.length) {
            throw new IllegalArgumentException("scores and inclusion flags must have the same length, were "
                    + scores.length + " and " + included.length);
        }
        if (positiveGuesses < 0 || negativeGuesses < 0 || positiveGuesses + negativeGuesses > scores.length) {
            throw new IllegalArgumentException("guess counts must be >= 0 and add up to at most " + scores.length
                    + ", were " + positiveGuesses + " and " + negativeGuesses);
        }
        Integer[] order = IntStream.range(0, scores.length).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingDouble(i -> -scores[i]));
        int correct = 0;
        for (int k = 0; k < positiveGuesses; k++) {
            correct += included[order[k]] ? 1 : 0;
        }
        for (int k = 0; k < negativeGuesses; k++) {
            correct += included[order[scores.length - 1 - k]] ? 0 : 1;
        }
        return new Guesses(scores.length, positiveGuesses + negativeGuesses, correct);
    }

    /** p-value of v or more correct guesses out of r under (ε, δ)-DP with m canaries. */
    public static double pValue(int canaries, int guesses, int correct, double epsilon, double delta) {
        if (!(0 <= correct && correct <= guesses && guesses <= canaries)) {
            throw new IllegalArgumentException("need 0 <= correct <= guesses <= canaries, were "
                    + correct + ", " + guesses + ", " + canaries);
        }
        if (guesses == 0) {
            return 1.0;
        }
        double q = 1 / (1 + Math.exp(-epsilon));
        BinomialDistribution binomial = new BinomialDistribution(null, guesses, q);
        double tail = correct == 0 ? 1.0 : 1 - binomial.cumulativeProbability(correct - 1);
        double worst = 0;
        double window = 0;
        for (int i = 1; i <= correct; i++) {
            window += binomial.probability(correct - i);
            worst = Math.max(worst, window / i);
        }
        return Math.min(1.0, tail + 2.0 * canaries * delta * worst);
    }

    /**
     * The (1 − β)-confidence lower bound on ε: the largest ε whose p-value is below β (0 when even
     * ε = 0 is not rejected). Bisection to 1e-6.
     */
    public static double epsilonLowerBound(Guesses guesses, double delta, double beta) {
        if (!(beta > 0 && beta < 1)) {
            throw new IllegalArgumentException("beta must be in (0, 1), was " + beta);
        }
        if (!(delta >= 0 && delta < 1)) {
            throw new IllegalArgumentException("delta must be in [0, 1), was " + delta);
        }
        if (pValue(guesses.canaries(), guesses.guesses(), guesses.correct(), 0, delta) >= beta) {
            return 0.0;
        }
        double lo = 0;
        double hi = 1;
        while (pValue(guesses.canaries(), guesses.guesses(), guesses.correct(), hi, delta) < beta) {
            lo = hi;
            hi *= 2;
            if (hi > 1e3) {
                return Double.POSITIVE_INFINITY;
            }
        }
        while (hi - lo > 1e-6) {
            double mid = (lo + hi) / 2;
            if (pValue(guesses.canaries(), guesses.guesses(), guesses.correct(), mid, delta) < beta) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
