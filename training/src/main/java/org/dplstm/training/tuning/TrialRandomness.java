package org.dplstm.training.tuning;

import org.dplstm.privacy.noise.AesCtrRandomBits;
import org.dplstm.privacy.noise.SecureGaussianNoise;
import org.dplstm.privacy.rdp.TrialCountSampler;
import org.dplstm.privacy.rdp.TruncatedNegativeBinomial;

/**
 * The randomness of tuning that the guarantee relies on: the number of trials, each trial's grid
 * point and its score's noise. All from SecureRandom-keyed streams; a seed only in tests.
 */
public final class TrialRandomness {

    private final TrialCountSampler trialCounts;
    private final AesCtrRandomBits gridChoices;
    private final SecureGaussianNoise scoreNoise;

    private TrialRandomness(TrialCountSampler trialCounts, AesCtrRandomBits gridChoices,
            SecureGaussianNoise scoreNoise) {
        this.trialCounts = trialCounts;
        this.gridChoices = gridChoices;
        this.scoreNoise = scoreNoise;
    }

    /** Keyed from SecureRandom: what production uses. */
    public static TrialRandomness create() {
        return new TrialRandomness(TrialCountSampler.create(), AesCtrRandomBits.create(), SecureGaussianNoise.create());
    }

    /** Test-only: reproducible choices. */
    public static TrialRandomness seededForTesting(long seed) {
        return new TrialRandomness(TrialCountSampler.seededForTesting(seed),
                AesCtrRandomBits.seededForTesting(seed + 1), SecureGaussianNoise.seededForTesting(seed + 2));
    }

    public long trialCount(TruncatedNegativeBinomial distribution) {
        return trialCounts.draw(distribution);
    }

    /** A uniform index in [0, size). */
    public int gridIndex(int size) {
        return (int) Math.min(size - 1, Math.floor(gridChoices.nextDouble() * size));
    }

    /** {@code correct} plus Gaussian noise of standard deviation {@code stddev}. */
    public double noisyScore(long correct, double stddev) {
        double[] score = {correct};
        scoreNoise.addTo(score, stddev);
        return score[0];
    }
}
