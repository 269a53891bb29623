package org.dplstm.audit.empirical;

import java.util.Arrays;
import org.apache.commons.math3.distribution.NormalDistribution;

/**
 * Exposure of an inserted secret (Carlini, Liu, Erlingsson, Kos, Song 2019, "The Secret Sharer"):
 * exposure = log2 |R| − log2 rank, where rank is the position of the true secret among all
 * candidates R ordered by the model's score. Scores are "lower is more likely" (e.g. the
 * sequence's negative log-likelihood, the paper's log-perplexity). Exposure is at most log2 |R|
 * (the secret ranked first) and about 1 for a model that knows nothing.
 */
public final class CanaryExposure {

    private CanaryExposure() {}

    /**
     * Exact exposure from the scores of every other candidate of the space. Ties count against
     * privacy: rank = 1 + number of candidates scoring strictly lower than the secret.
     */
    public static double exact(double secretScore, double[] otherCandidateScores) {
        long better = Arrays.stream(otherCandidateScores).filter(s -> s < secretScore).count();
        double spaceSize = otherCandidateScores.length + 1.0;
        return log2(spaceSize) - log2(better + 1.0);
    }

    /**
     * The paper's extrapolation for spaces too large to enumerate: fit a distribution to the
     * scores of candidates drawn uniformly from R, and estimate rank/|R| by the fitted P(score ≤
     * secret score), so exposure ≈ −log2 P(score ≤ secretScore). Fitted with a skew-normal
     * (as in the paper, §4.3). Capped at log2 |R| (rank ≥ 1).
     */
    public static double extrapolated(double secretScore, double[] sampledScores, double log2SpaceSize) {
        double p = SkewNormal.fit(sampledScores).cumulativeProbability(secretScore);
        return cap(-log2(p), log2SpaceSize);
    }

    /** Same extrapolation with a normal fit (a simpler, more stable fit when the sample is small). */
    public static double extrapolatedNormal(double secretScore, double[] sampledScores, double log2SpaceSize) {
        double mean = Arrays.stream(sampledScores).average().orElseThrow(
                () -> new IllegalArgumentException("sampled scores must not be empty"));
        double variance = Arrays.stream(sampledScores).map(s -> (s - mean) * (s - mean)).sum() / (sampledScores.length - 1);
        double p = new NormalDistribution(null, mean, Math.sqrt(variance)).cumulativeProbability(secretScore);
        return cap(-log2(p), log2SpaceSize);
    }

    private static double cap(double exposure, double log2SpaceSize) {
        return Math.max(0.0, Math.min(exposure, log2SpaceSize));
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }
}
