package org.dplstm.training.dpsgd;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.security.SecureRandom;
import org.dplstm.privacy.noise.GaussianNoise;
import org.dplstm.privacy.noise.SecureGaussianNoise;

/**
 * Adds N(0, stddev²) independently to every entry of a step's clipped gradient sum. Secure by
 * default; the only seeded variant is built by tests through {@code SecureGaussianNoise
 * .seededForTesting} (DESIGN §5b).
 */
public interface GradientNoise {

    /** {@code sum} plus fresh Gaussian noise, as a new array in {@code scope} on the sum's device. */
    NDArray addTo(NDManager scope, NDArray sum, double stddev);

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
     * Copies the sum to the JVM, adds bulk noise from {@code source} there, and copies it back: one
     * transfer each way per parameter per step, the noise drawn in one call (DESIGN §5b).
     */
    static GradientNoise bulk(GaussianNoise source) {
        return (scope, sum, stddev) -> {
            NDArray noisy;
            if (sum.getDataType() == DataType.FLOAT64) {
                double[] values = sum.toDoubleArray();
                source.addTo(values, stddev);
                noisy = scope.create(values, sum.getShape());
            } else if (sum.getDataType() == DataType.FLOAT32) {
                float[] values = sum.toFloatArray();
                source.addTo(values, stddev);
                noisy = scope.create(values, sum.getShape());
            } else {
                throw new IllegalStateException(
                        "gradient sums must be float32 or float64, was " + sum.getDataType());
            }
            return noisy.toDevice(sum.getDevice(), false);
        };
    }
}
