package org.dplstm.data.metrics;

import java.util.Arrays;

/**
 * A corpus BLEU score (Papineni et al. 2002) from its sufficient statistics: matched and total
 * n-grams per order (clipped by the references' counts), the hypothesis length and the
 * reference length. {@link #score()} is 0–100.
 */
public record BleuScore(double score, double[] precisions, double brevityPenalty, long hypothesisLength,
        long referenceLength, long[] matches, long[] totals) {

    public BleuScore {
        precisions = precisions.clone();
        matches = matches.clone();
        totals = totals.clone();
    }

    /**
     * BLEU of the statistics: BP · exp(mean of log precisions) with the brevity penalty BP =
     * exp(1 − r/c) when the hypotheses are shorter (c < r), and mteval's "exp" smoothing: the k-th
     * order without a match counts as 1/(2^k · total) instead of 0. No match at all, or an order
     * without any hypothesis n-gram, gives 0.
     */
    public static BleuScore fromStatistics(long[] matches, long[] totals, long hypothesisLength, long referenceLength) {
        if (matches.length != totals.length || matches.length == 0) {
            throw new IllegalArgumentException("matches and totals must have one entry per n-gram order, had "
                    + matches.length + " and " + totals.length);
        }
        int orders = matches.length;
        double brevityPenalty = 1.0;
        if (hypothesisLength < referenceLength) {
            brevityPenalty = hypothesisLength > 0 ? Math.exp(1 - (double) referenceLength / hypothesisLength) : 0.0;
        }
        double[] precisions = new double[orders];
        if (Arrays.stream(matches).allMatch(m -> m == 0)) {
            return new BleuScore(0, precisions, brevityPenalty, hypothesisLength, referenceLength, matches, totals);
        }
        double smoothing = 1;
        double logSum = 0;
        for (int n = 0; n < orders; n++) {
            if (totals[n] == 0) {
                return new BleuScore(0, precisions, brevityPenalty, hypothesisLength, referenceLength, matches, totals);
            }
            if (matches[n] == 0) {
                smoothing *= 2;
                precisions[n] = 100 / (smoothing * totals[n]);
            } else {
                precisions[n] = 100.0 * matches[n] / totals[n];
            }
            logSum += Math.log(precisions[n]);
        }
        double score = brevityPenalty * Math.exp(logSum / orders);
        return new BleuScore(score, precisions, brevityPenalty, hypothesisLength, referenceLength, matches, totals);
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "BLEU = %.2f %s (BP = %.3f hyp_len = %d ref_len = %d)", score,
                String.join("/", Arrays.stream(precisions).mapToObj(p -> String.format(java.util.Locale.ROOT, "%.1f", p))
                        .toList()), brevityPenalty, hypothesisLength, referenceLength);
    }
}
