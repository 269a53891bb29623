package org.dplstm.data.metrics;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Corpus-level BLEU as WMT and sacreBLEU report it (Post 2018: signature
 * {@code case:mixed|eff:no|tok:13a|smooth:exp}): each hypothesis and reference tokenized by
 * {@link Mteval13aTokenizer}, n-grams up to 4 counted per segment and clipped by the largest
 * count in any of its references, the reference length of a segment the one closest to the
 * hypothesis length (the shorter on a tie), statistics summed over the corpus, then {@link
 * BleuScore#fromStatistics}.
 */
public final class CorpusBleu {

    public static final int MAX_ORDER = 4;

    private CorpusBleu() {}

    /** One reference per hypothesis. */
    public static BleuScore score(List<String> hypotheses, List<String> references) {
        Objects.requireNonNull(references, "references");
        return scoreMultiple(hypotheses, references.stream().map(List::of).toList());
    }

    /** Any number of references per hypothesis ({@code references.get(i)} for hypothesis i; null entries skipped). */
    public static BleuScore scoreMultiple(List<String> hypotheses, List<List<String>> references) {
        if (hypotheses.size() != references.size()) {
            throw new IllegalArgumentException("references must have one entry per hypothesis (" + hypotheses.size()
                    + "), had " + references.size());
        }
        long[] matches = new long[MAX_ORDER];
        long[] totals = new long[MAX_ORDER];
        long hypothesisLength = 0;
        long referenceLength = 0;
        for (int i = 0; i < hypotheses.size(); i++) {
            String[] hypothesis = tokens(hypotheses.get(i));
            Map<List<String>, Integer> hypothesisCounts = ngrams(hypothesis);
            Map<List<String>, Integer> referenceCounts = new HashMap<>();
            int closest = -1;
            for (String reference : references.get(i)) {
                if (reference == null) {
                    continue;
                }
                String[] referenceTokens = tokens(reference);
                int length = referenceTokens.length;
                int distance = Math.abs(hypothesis.length - length);
                if (closest < 0 || distance < Math.abs(hypothesis.length - closest)
                        || (distance == Math.abs(hypothesis.length - closest) && length < closest)) {
                    closest = length;
                }
                ngrams(referenceTokens).forEach((ngram, count) -> referenceCounts.merge(ngram, count, Math::max));
            }
            hypothesisLength += hypothesis.length;
            referenceLength += Math.max(closest, 0);
            for (Map.Entry<List<String>, Integer> entry : hypothesisCounts.entrySet()) {
                int order = entry.getKey().size() - 1;
                totals[order] += entry.getValue();
                matches[order] += Math.min(entry.getValue(), referenceCounts.getOrDefault(entry.getKey(), 0));
            }
        }
        return BleuScore.fromStatistics(matches, totals, hypothesisLength, referenceLength);
    }

    private static String[] tokens(String segment) {
        String tokenized = Mteval13aTokenizer.tokenize(segment.stripTrailing());
        return tokenized.isEmpty() ? new String[0] : tokenized.split(" ");
    }

    /** Counts of every n-gram, 1 ≤ n ≤ {@link #MAX_ORDER}. */
    private static Map<List<String>, Integer> ngrams(String[] tokens) {
        Map<List<String>, Integer> counts = new HashMap<>();
        for (int n = 1; n <= MAX_ORDER; n++) {
            for (int start = 0; start + n <= tokens.length; start++) {
                counts.merge(List.of(tokens).subList(start, start + n), 1, Integer::sum);
            }
        }
        return counts;
    }
}
