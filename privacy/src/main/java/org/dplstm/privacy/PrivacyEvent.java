package org.dplstm.privacy;

/**
 * One privacy-spending step that an accountant composes. The three kinds cover DP-SGD steps, the
 * plain Gaussian mechanism (e.g. noisy counts of DP vocabulary selection) and a delta paid
 * directly (e.g. the thresholding step of DP vocabulary selection).
 */
public sealed interface PrivacyEvent
        permits PrivacyEvent.PoissonGaussian, PrivacyEvent.Gaussian, PrivacyEvent.ThresholdDelta {

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

    /** A probability of failure added directly to the total delta. */
    record ThresholdDelta(double delta) implements PrivacyEvent {
        public ThresholdDelta {
            if (!(delta >= 0 && delta < 1)) {
                throw new IllegalArgumentException("threshold delta must be in [0, 1), was " + delta);
            }
        }
    }
}
