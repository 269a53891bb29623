package org.dplstm.training.dpsgd;

import java.util.Objects;
import org.dplstm.privacy.noise.SecureGaussianNoise;
import org.dplstm.privacy.sampling.PoissonSampler;

/**
 * The two sources of randomness the guarantee rests on: Poisson sampling of each step's batch and
 * the Gaussian noise on its clipped sum. Production code gets them only from {@link #secure};
 * {@code --seed} never reaches them.
 */
public record TrainingRandomness(UnitSampler sampler, GradientNoise noise) {

    public TrainingRandomness {
        Objects.requireNonNull(sampler, "sampler");
        Objects.requireNonNull(noise, "noise");
    }

    /** Secure Poisson sampling and noise of the given kind (both keyed from {@code SecureRandom}). */
    public static TrainingRandomness secure(NoiseKind noise) {
        PoissonSampler sampler = PoissonSampler.create();
        return new TrainingRandomness(sampler::sample, GradientNoise.of(noise));
    }

    /** Reproducible sampling and noise. Tests only: a seeded run has no privacy guarantee. */
    public static TrainingRandomness seededForTesting(long seed) {
        PoissonSampler sampler = PoissonSampler.seededForTesting(seed);
        return new TrainingRandomness(
                sampler::sample, GradientNoise.bulk(SecureGaussianNoise.seededForTesting(seed + 1)));
    }
}
