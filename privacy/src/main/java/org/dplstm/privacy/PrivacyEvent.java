package org.dplstm.privacy;

/**
 * One privacy-spending step that an accountant composes. The kinds cover DP-SGD steps, the
 * plain Gaussian mechanism (e.g. noisy counts of DP vocabulary selection), a delta paid
 * directly (e.g. the thresholding step of DP vocabulary selection) and private tuning (the best
 * of a random number of trials).
 */
public sealed interface PrivacyEvent permits PrivacyEvent.PoissonGaussian, PrivacyEvent.Gaussian,
        PrivacyEvent.ThresholdDelta, PrivacyEvent.RepeatedSelection {

    /**
     * {@code count} steps of the Poisson-subsampled Gaussian mechanism (DP-SGD): each example is
     * in the batch with probability {@code sampleRate}; the clipped sum gets Gaussian noise of
     * standard deviation {@code noiseMultiplier} times the clipping norm.
     */
    record PoissonGaussian(double sampleRate, double noiseMultiplier, long count) implements PrivacyEvent {
        public PoissonGaussian {
            Checks.halfOpenUnitInterval("sample rate", sampleRate);
            Checks.positive("noise multiplier", noiseMultiplier);
            Checks.finite("noise multiplier", noiseMultiplier);
            Checks.atLeast("count", count, 0);
        }
    }

    /**
     * {@code count} releases of the Gaussian mechanism with L2 sensitivity 1 and noise standard
     * deviation {@code noiseMultiplier} (rescale the sensitivity into the multiplier).
     */
    record Gaussian(double noiseMultiplier, long count) implements PrivacyEvent {
        public Gaussian {
            Checks.positive("noise multiplier", noiseMultiplier);
            Checks.finite("noise multiplier", noiseMultiplier);
            Checks.atLeast("count", count, 0);
        }
    }

    /**
     * Private tuning: a trial made of the events {@code trial} run K times, K drawn from the
     * truncated negative binomial D_{eta,gamma} (Papernot and Steinke 2022, Definition 1), and only
     * the best trial released. Only the RDP accountant bounds it (their Theorem 2).
     */
    record RepeatedSelection(java.util.List<PrivacyEvent> trial, double eta, double gamma) implements PrivacyEvent {
        public RepeatedSelection {
            trial = java.util.List.copyOf(trial);
            if (trial.isEmpty()) {
                throw new IllegalArgumentException("a repeated selection's trial must have at least one event, had none");
            }
            Checks.nonNegative("eta", eta);
            Checks.finite("eta", eta);
            Checks.halfOpenUnitInterval("gamma", gamma);
        }
    }

    /** A probability of failure added directly to the total delta. */
    record ThresholdDelta(double delta) implements PrivacyEvent {
        public ThresholdDelta {
            if (!(delta >= 0 && delta < 1)) {
                throw new IllegalArgumentException("threshold delta must be in [0, 1), was " + delta);
            }
        }
    }
}
