package org.dplstm.data.metrics;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Corpus-level chrF (Popović 2015) as sacreBLEU 2 computes it by default (signature
 * {@code nc:6|nw:0|space:no}, β = 2): character n-grams of orders 1–6 of each segment with its
 * white space removed; per segment the reference with the best F-score; hypothesis, reference and
 * matched n-gram counts summed over the corpus per order; precision and recall averaged over the
 * orders that have both hypothesis and reference n-grams; F_β of the two averages, 0–100.
 */
public final class ChrF {

    public static final int DEFAULT_ORDER = 6;
    public static final double DEFAULT_BETA = 2;

    private final int order;
    private final double beta;
    private final boolean keepWhitespace;

    /** Orders 1–6, β = 2, white space removed: the standard chrF2. */
    public ChrF() {
        this(DEFAULT_ORDER, DEFAULT_BETA, false);
    }

    public ChrF(int order, double beta, boolean keepWhitespace) {
        if (order < 1) {
            throw new IllegalArgumentException("chrF order must be >= 1, was " + order);
        }
        if (!(beta > 0)) {
            throw new IllegalArgumentException("chrF beta must be > 0, was " + beta);
        }
        this.order = order;
        this.beta = beta;
        this.keepWhitespace = keepWhitespace;
    }

    /** chrF2 of hypotheses against one reference each. */
    public static double score(List<String> hypotheses, List<String> references) {
        Objects.requireNonNull(references, "references");
        return new ChrF().scoreMultiple(hypotheses, references.stream().map(List::of).toList());
    }

    /** Any number of references per hypothesis ({@code references.get(i)} for hypothesis i; null entries skipped). */
    public double scoreMultiple(List<String> hypotheses, List<List<String>> references) {
        if (hypotheses.size() != references.size()) {
            throw new IllegalArgumentException("references must have one entry per hypothesis (" + hypotheses.size()
                    + "), had " + references.size());
        }
        long[] corpus = new long[3 * order];
        for (int i = 0; i < hypotheses.size(); i++) {
            List<Map<String, Integer>> hypothesis = ngrams(hypotheses.get(i));
            long[] best = null;
            double bestScore = -1;
            for (String reference : references.get(i)) {
                if (reference == null) {
                    continue;
                }
                long[] statistics = statistics(hypothesis, ngrams(reference));
                double score = fScore(statistics);
                if (score > bestScore) {
                    bestScore = score;
                    best = statistics;
                }
            }
            if (best != null) {
                for (int k = 0; k < corpus.length; k++) {
                    corpus[k] += best[k];
                }
            }
        }
        return fScore(corpus);
    }

    /** Per order: hypothesis n-grams (0 when the reference has none), reference n-grams, matches. */
    private long[] statistics(List<Map<String, Integer>> hypothesis, List<Map<String, Integer>> reference) {
        long[] statistics = new long[3 * order];
        for (int n = 0; n < order; n++) {
            Map<String, Integer> hypothesisCounts = hypothesis.get(n);
            Map<String, Integer> referenceCounts = reference.get(n);
            long hypothesisTotal = 0;
            long matched = 0;
            for (Map.Entry<String, Integer> entry : hypothesisCounts.entrySet()) {
                hypothesisTotal += entry.getValue();
                matched += Math.min(entry.getValue(), referenceCounts.getOrDefault(entry.getKey(), 0));
            }
            long referenceTotal = referenceCounts.values().stream().mapToLong(Integer::longValue).sum();
            statistics[3 * n] = referenceCounts.isEmpty() ? 0 : hypothesisTotal;
            statistics[3 * n + 1] = referenceTotal;
            statistics[3 * n + 2] = matched;
        }
        return statistics;
    }

    /** F_β (0–100) of precision and recall averaged over the orders with hypothesis and reference n-grams. */
    private double fScore(long[] statistics) {
        double precision = 0;
        double recall = 0;
        int effectiveOrders = 0;
        for (int n = 0; n < order; n++) {
            long hypothesis = statistics[3 * n];
            long reference = statistics[3 * n + 1];
            long matched = statistics[3 * n + 2];
            if (hypothesis > 0 && reference > 0) {
                precision += (double) matched / hypothesis;
                recall += (double) matched / reference;
                effectiveOrders++;
            }
        }
        if (effectiveOrders == 0) {
            return 0;
        }
        precision /= effectiveOrders;
        recall /= effectiveOrders;
        double factor = beta * beta;
        if (precision + recall == 0) {
            return 0;
        }
        return 100 * (1 + factor) * precision * recall / (factor * precision + recall);
    }

    /** Counts of the character n-grams of each order 1..order. */
    private List<Map<String, Integer>> ngrams(String segment) {
        String text = keepWhitespace ? segment : segment.replaceAll("(?U)\\s+", "");
        int[] codePoints = text.codePoints().toArray();
        List<Map<String, Integer>> counts = new java.util.ArrayList<>();
        for (int n = 1; n <= order; n++) {
            Map<String, Integer> orderCounts = new HashMap<>();
            for (int start = 0; start + n <= codePoints.length; start++) {
                orderCounts.merge(new String(codePoints, start, n), 1, Integer::sum);
            }
            counts.add(orderCounts);
        }
        return counts;
    }
}
