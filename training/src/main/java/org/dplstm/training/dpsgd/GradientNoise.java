package org.dplstm.training.dpsgd;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.security.SecureRandom;
import org.dplstm.privacy.noise.GaussianNoise;
import org.dplstm.privacy.noise.SecureGaussianNoise;

/**
 * Adds N(0, stddev²) independently to every entry of a step's clipped gradient sum. Secure by
 * default; the only seeded variant is built by tests through {@code SecureGaussianNoise
 * .seededForTesting} (ARCHITECTURE §5b).
 */
public interface GradientNoise {

    /** {@code sum} plus fresh Gaussian noise, as a new array in {@code scope} on the sum's device. */
    NDArray addTo(NDManager scope, NDArray sum, double stddev);

    /**
     * Every sum of one step plus fresh noise, in order (the DP-SGD loop calls this once a step).
     * The default adds to each sum in turn; {@link #bulk} draws a whole step's noise at once, ahead.
     */
    default NDList addToAll(NDManager scope, NDList sums, double stddev) {
        NDList noisy = new NDList(sums.size());
        for (NDArray sum : sums) {
            noisy.add(addTo(scope, sum, stddev));
        }
        return noisy;
    }

    /** Cryptographically secure noise: AES-CTR keyed from {@code SecureRandom}, drawn in bulk. */
    static GradientNoise secure() {
        return bulk(SecureGaussianNoise.create());
    }

    /**
     * The engine's Gaussian generator, reseeded from {@code SecureRandom} before every step: fast
     * on a GPU, but the engine's generator is not a cryptographic one (and its seed has 32 bits).
     */
    static GradientNoise fastEngine() {
        SecureRandom seeds = new SecureRandom();
        return (scope, sum, stddev) -> {
            scope.getEngine().setRandomSeed(seeds.nextInt());
            NDArray noise = scope.randomNormal(0f, (float) stddev, sum.getShape(), sum.getDataType(), sum.getDevice());
            return sum.add(noise);
        };
    }

    static GradientNoise of(NoiseKind kind) {
        return kind == NoiseKind.FAST ? fastEngine() : secure();
    }

    /**
     * Host-side bulk noise from {@code source}: a step's noise for all parameters is drawn in one
     * call on a background thread while the previous step computes, and moved to the engine in one
     * transfer (ARCHITECTURE §5b). The draws are the source's stream in parameter order, as if drawn
     * synchronously.
     */
    static GradientNoise bulk(GaussianNoise source) {
        return new BulkGradientNoise(source);
    }
}
