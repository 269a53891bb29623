package org.dplstm.privacy.sampling;

import java.util.Arrays;
import org.dplstm.privacy.Checks;
import org.dplstm.privacy.noise.AesCtrRandomBits;

/**
 * Poisson sampling for DP-SGD: every member of the population joins the batch independently with
 * probability q, so the batch size varies and may be zero (the amplification-by-sampling bound of
 * the accountants assumes exactly this). Draws from the AES-CTR stream; gaps between members are
 * geometric, so a step costs O(qN) draws, not O(N). Thread-safe.
 */
public final class PoissonSampler {

    private final AesCtrRandomBits bits;

    private PoissonSampler(AesCtrRandomBits bits) {
        this.bits = bits;
    }

    /** Keyed from {@link java.security.SecureRandom}: the only factory production code uses. */
    public static PoissonSampler create() {
        return new PoissonSampler(AesCtrRandomBits.create());
    }

    /** Test-only: a reproducible sampler. */
    public static PoissonSampler seededForTesting(long seed) {
        return new PoissonSampler(AesCtrRandomBits.seededForTesting(seed));
    }

    /** Sorted indices in [0, populationSize), each included independently with probability sampleRate. */
    public synchronized int[] sample(int populationSize, double sampleRate) {
        Checks.atLeast("population size", populationSize, 0);
        Checks.halfOpenUnitInterval("sample rate", sampleRate);
        if (sampleRate == 1) {
            int[] all = new int[populationSize];
            Arrays.setAll(all, i -> i);
            return all;
        }
        // Gap before the next member ~ Geometric(q): P(gap >= k) = (1-q)^k = P(U <= (1-q)^k).
        double logStay = Math.log1p(-sampleRate);
        int[] members = new int[Math.max(16, (int) Math.min(populationSize, 2 * sampleRate * populationSize + 16))];
        int count = 0;
        long index = -1;
        while (true) {
            double gap = Math.floor(Math.log(bits.nextDoubleOpenAtZero()) / logStay);
            index += 1 + (long) Math.min(gap, (double) populationSize);
            if (index >= populationSize) {
                break;
            }
            if (count == members.length) {
                members = Arrays.copyOf(members, Math.min(populationSize, 2 * members.length));
            }
            members[count++] = (int) index;
        }
        return Arrays.copyOf(members, count);
    }
}
