package org.dplstm.data.vocab;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.dplstm.data.io.TextRecord;
import org.dplstm.data.tokenize.Tokenizer;
import org.dplstm.privacy.Checks;
import org.dplstm.privacy.PrivacyEvent;
import org.dplstm.privacy.noise.GaussianNoise;
import org.dplstm.privacy.noise.SecureGaussianNoise;

/**
 * Differentially private vocabulary selection (ARCHITECTURE §5; Gaussian partition selection, Gopi et
 * al. 2020, "Differentially Private Set Union"): each user contributes at most k distinct tokens,
 * each counted once; Gaussian noise of stddev {@code sigma * sqrt(k)} is added to every count (L2
 * sensitivity sqrt(k)); a token is kept when its noisy count exceeds a threshold.
 *
 * <p>The threshold makes a token seen by one user only pass with probability at most {@code
 * thresholdDelta / k}; a user holds at most k such tokens, so by the union bound the chance that
 * any of them is released is at most {@code thresholdDelta}. The cost is a Gaussian mechanism with
 * noise multiplier sigma plus that delta: {@code Gaussian(sigma, 1)} and {@code ThresholdDelta}.
 */
public final class DpVocabularySelector {
    private final int maxTokensPerUser;
    private final double noiseMultiplier;
    private final double thresholdDelta;
    private final GaussianNoise noise;
    private final Random random;

    private DpVocabularySelector(Builder b, GaussianNoise noise, Random random) {
        this.maxTokensPerUser = b.maxTokensPerUser;
        this.noiseMultiplier = b.noiseMultiplier;
        this.thresholdDelta = b.thresholdDelta;
        this.noise = noise;
        this.random = random;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The count a token needs to pass: 1 + sigma sqrt(k) * Phi^-1(1 - thresholdDelta / k). */
    public double threshold() {
        double stddev = noiseMultiplier * Math.sqrt(maxTokensPerUser);
        double perTokenDelta = thresholdDelta / maxTokensPerUser;
        return 1 + stddev * new NormalDistribution().inverseCumulativeProbability(1 - perTokenDelta);
    }

    /**
     * Selects a vocabulary from records grouped by {@link TextRecord#user()}; a record without a
     * user id counts as its own user (example-level privacy).
     */
    public DpVocabulary select(Iterable<TextRecord> records, Tokenizer tokenizer) {
        Map<String, Set<String>> tokensByUser = new HashMap<>();
        int anonymous = 0;
        for (TextRecord record : records) {
            String user = record.user() != null ? "u:" + record.user() : "r:" + anonymous++;
            tokensByUser.computeIfAbsent(user, u -> new LinkedHashSet<>()).addAll(tokenizer.tokens(record.text()));
        }
        return selectFromUserTokens(tokensByUser.values());
    }

    /** Selects from each user's distinct tokens. */
    public DpVocabulary selectFromUserTokens(Iterable<? extends Set<String>> tokensOfEachUser) {
        Map<String, Integer> counts = new HashMap<>();
        for (Set<String> userTokens : tokensOfEachUser) {
            for (String token : bounded(userTokens)) {
                counts.merge(token, 1, Integer::sum);
            }
        }
        List<String> tokens = new ArrayList<>(counts.keySet());
        Collections.sort(tokens); // a fixed order, so the noise draws do not depend on hash order
        double[] noisy = new double[tokens.size()];
        for (int i = 0; i < noisy.length; i++) {
            noisy[i] = counts.get(tokens.get(i));
        }
        noise.addTo(noisy, noiseMultiplier * Math.sqrt(maxTokensPerUser));
        double threshold = threshold();
        List<Integer> kept = new ArrayList<>();
        for (int i = 0; i < noisy.length; i++) {
            if (noisy[i] > threshold) {
                kept.add(i);
            }
        }
        // Most frequent (by noisy count, which is already private) first.
        kept.sort(Comparator.comparingDouble((Integer i) -> -noisy[i]).thenComparing(tokens::get));
        List<String> selected = new ArrayList<>(kept.size());
        for (int i : kept) {
            selected.add(tokens.get(i));
        }
        return new DpVocabulary(WordListVocabulary.of(selected), List.of(
                new PrivacyEvent.Gaussian(noiseMultiplier, 1), new PrivacyEvent.ThresholdDelta(thresholdDelta)));
    }

    /** At most k of the user's distinct tokens, chosen uniformly at random when there are more. */
    private List<String> bounded(Set<String> userTokens) {
        List<String> tokens = new ArrayList<>(userTokens);
        if (tokens.size() <= maxTokensPerUser) {
            return tokens;
        }
        for (int i = 0; i < maxTokensPerUser; i++) { // partial Fisher-Yates shuffle
            Collections.swap(tokens, i, i + random.nextInt(tokens.size() - i));
        }
        return tokens.subList(0, maxTokensPerUser);
    }

    public static final class Builder {
        private int maxTokensPerUser = 100;
        private double noiseMultiplier = Double.NaN;
        private double thresholdDelta = Double.NaN;

        /** k: the most distinct tokens one user contributes (default 100). */
        public Builder optMaxTokensPerUser(int maxTokensPerUser) {
            this.maxTokensPerUser = maxTokensPerUser;
            return this;
        }

        /** sigma: noise stddev divided by the L2 sensitivity sqrt(k). */
        public Builder noiseMultiplier(double noiseMultiplier) {
            this.noiseMultiplier = noiseMultiplier;
            return this;
        }

        /** The probability that any token held by one user only is released. */
        public Builder thresholdDelta(double thresholdDelta) {
            this.thresholdDelta = thresholdDelta;
            return this;
        }

        public DpVocabularySelector build() {
            validate();
            return new DpVocabularySelector(this, SecureGaussianNoise.create(), new SecureRandom());
        }

        /** Seeded noise and token choice, for tests only; production code never seeds them. */
        public DpVocabularySelector buildSeededForTesting(long seed) {
            validate();
            return new DpVocabularySelector(this, SecureGaussianNoise.seededForTesting(seed), new Random(seed));
        }

        private void validate() {
            Checks.atLeast("max tokens per user", maxTokensPerUser, 1);
            Checks.positive("noise multiplier", noiseMultiplier);
            Checks.finite("noise multiplier", noiseMultiplier);
            Checks.openUnitInterval("threshold delta", thresholdDelta);
        }
    }
}
