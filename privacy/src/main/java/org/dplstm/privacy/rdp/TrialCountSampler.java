package org.dplstm.privacy.rdp;

import org.dplstm.privacy.noise.AesCtrRandomBits;

/**
 * Draws the number of trials K ~ D_{η,γ} of private tuning. K is part of the mechanism: Theorem 2
 * of Papernot and Steinke 2022 holds only if K really follows D_{η,γ} and nobody can predict it,
 * so draws come from the AES-CTR stream keyed from SecureRandom; only tests use a seed. Inverse
 * CDF with the pmf's ratio P[k+1]/P[k] = (1-γ)(k+η)/(k+1). Not thread-safe.
 */
public final class TrialCountSampler {

    /** A stop for the scan: the mass beyond it is below 1e-16 for any mean a run could afford. */
    private static final long MAX_TRIALS = 1_000_000;

    private final AesCtrRandomBits bits;

    private TrialCountSampler(AesCtrRandomBits bits) {
        this.bits = bits;
    }

    /** Keyed from {@link java.security.SecureRandom}: the only factory production code uses. */
    public static TrialCountSampler create() {
        return new TrialCountSampler(AesCtrRandomBits.create());
    }

    /** Test-only: reproducible draws. */
    public static TrialCountSampler seededForTesting(long seed) {
        return new TrialCountSampler(AesCtrRandomBits.seededForTesting(seed));
    }

    /** One draw of K (>= 1). */
    public long draw(TruncatedNegativeBinomial distribution) {
        double u = bits.nextDoubleOpenAtZero();
        double probability = distribution.probability(1);
        double cumulative = probability;
        long k = 1;
        double stay = 1 - distribution.gamma();
        double eta = distribution.eta();
        while (cumulative < u && k < MAX_TRIALS && probability > 0) {
            probability *= stay * (k + eta) / (k + 1);
            cumulative += probability;
            k++;
        }
        return k;
    }
}
