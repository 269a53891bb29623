package org.dplstm.training.dpsgd;

/**
 * Draws one step's batch: the sorted indices of the sampled units, each of {@code populationSize}
 * units included independently with probability {@code sampleRate} (Poisson sampling, the
 * sampling the subsampled-Gaussian accountant assumes). Production code uses {@code
 * org.dplstm.privacy.sampling.PoissonSampler.create()} (secure randomness).
 */
@FunctionalInterface
public interface UnitSampler {
    int[] sample(int populationSize, double sampleRate);
}
